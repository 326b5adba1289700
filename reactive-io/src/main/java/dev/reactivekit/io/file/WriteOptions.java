package dev.reactivekit.io.file;

import dev.reactivekit.core.internal.Checks;

/**
 * How {@link AsyncFiles#write} opens its target: replace its content ({@link #truncate()}, the default), add
 * to its end ({@link #append()}), or insist that it is new ({@link #createNew()}); and whether to force the
 * data to the storage device before completing ({@link #withFsync()}). Immutable.
 *
 * @param mode  how the file is opened
 * @param fsync whether to {@code fsync} before completing: slower, but the bytes survive a power cut
 */
public record WriteOptions(Mode mode, boolean fsync) {

    public WriteOptions {
        Checks.notNull(mode, "mode");
    }

    /** Create the file if missing, and replace any content (Python's mode {@code "w"}). */
    public static WriteOptions truncate() {
        return new WriteOptions(Mode.TRUNCATE, false);
    }

    /** Create the file if missing, and write after its current end (Python's mode {@code "a"}). */
    public static WriteOptions append() {
        return new WriteOptions(Mode.APPEND, false);
    }

    /** Fail with {@link java.nio.file.FileAlreadyExistsException} if the file exists (Python's {@code "x"}). */
    public static WriteOptions createNew() {
        return new WriteOptions(Mode.CREATE_NEW, false);
    }

    /** The same options, forcing the data to storage before the write completes. */
    public WriteOptions withFsync() {
        return new WriteOptions(mode, true);
    }

    /** How {@link AsyncFiles#write} opens its target. */
    public enum Mode {
        /** Create if missing; existing content is replaced. */
        TRUNCATE,
        /**
         * Create if missing; every buffer is written at the end of the file with {@code O_APPEND}, so writers in
         * this or other processes never overwrite each other.
         */
        APPEND,
        /** The file must not exist yet. */
        CREATE_NEW
    }
}
