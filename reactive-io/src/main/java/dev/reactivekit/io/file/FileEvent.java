package dev.reactivekit.io.file;

import java.nio.file.Path;

/**
 * A change seen by {@link AsyncFiles#watch}.
 *
 * @param kind what happened
 * @param path the file it happened to (for {@link Kind#OVERFLOW}, the watched directory)
 */
public record FileEvent(Kind kind, Path path) {

    /** What happened. */
    public enum Kind {
        CREATED,
        MODIFIED,
        DELETED,
        /** The operating system dropped events; rescan the directory if you keep state about it. */
        OVERFLOW
    }
}
