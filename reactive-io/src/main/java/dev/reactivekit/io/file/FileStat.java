package dev.reactivekit.io.file;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Set;

/**
 * What {@link AsyncFiles#stat} tells about a file (Python's {@code os.stat_result}).
 *
 * @param path         the file
 * @param type         regular file, directory, symbolic link (only when links are not followed) or other
 * @param size         size in bytes
 * @param lastModified last modification time
 * @param lastAccess   last access time (as precise as the file system keeps it)
 * @param created      creation time, or the last modification time where the file system does not keep it
 * @param permissions  POSIX permissions; empty on file systems without them
 */
public record FileStat(Path path, Type type, long size, Instant lastModified, Instant lastAccess, Instant created,
        Set<PosixFilePermission> permissions) {

    public FileStat {
        permissions = Set.copyOf(permissions);
    }

    public boolean isFile() {
        return type == Type.FILE;
    }

    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    /** The kind of file. */
    public enum Type { FILE, DIRECTORY, SYMBOLIC_LINK, OTHER }
}
