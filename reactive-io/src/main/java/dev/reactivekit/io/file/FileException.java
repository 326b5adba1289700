package dev.reactivekit.io.file;

import dev.reactivekit.core.PermanentException;
import java.nio.file.Path;

/**
 * A file operation failed: the file is missing, not readable, already there, a directory where a file was
 * expected, and so on. {@link #reason()} says which, {@link #path()} names the file, and the cause is the JDK's
 * own exception ({@link java.nio.file.NoSuchFileException}, {@link java.nio.file.AccessDeniedException}, ...),
 * for example {@code "/data/in.csv: no such file or directory"}. Permanent: the same call fails again until
 * someone changes the file system.
 */
public final class FileException extends PermanentException {

    private static final long serialVersionUID = 1L;

    /** Why a file operation failed. */
    public enum Reason {
        /** The file or a directory on its path does not exist. */
        NOT_FOUND("no such file or directory"),
        /** The process may not read, write or list it. */
        ACCESS_DENIED("access denied"),
        /** The target exists and the operation does not replace it. */
        ALREADY_EXISTS("already exists"),
        /** A directory to delete still has entries. */
        NOT_EMPTY("directory not empty"),
        /** A directory was expected. */
        NOT_A_DIRECTORY("not a directory"),
        /** A regular file was expected. */
        IS_A_DIRECTORY("is a directory"),
        /** The file system cannot move atomically between these two places. */
        ATOMIC_MOVE_NOT_SUPPORTED("atomic move not supported"),
        /** Any other I/O failure (disk full, device error, ...); the message carries the system's words. */
        OTHER("I/O error");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        /** The reason in words, as in messages. */
        public String words() {
            return words;
        }
    }

    private final transient Path path;
    private final Reason reason;

    public FileException(String message, Path path, Reason reason, Throwable cause) {
        super(message, cause);
        this.path = path;
        this.reason = reason;
    }

    /** The file the operation was about, or {@code null} if none could be named. */
    public Path path() {
        return path;
    }

    /** Why it failed. */
    public Reason reason() {
        return reason;
    }
}
