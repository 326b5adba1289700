package dev.reactivekit.io.internal;

import dev.reactivekit.io.file.FileStat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Blocking file-system helpers behind {@code AsyncFiles}; always called on the offload scheduler. Internal. */
public final class FileTrees {

    private static final Logger log = LoggerFactory.getLogger(FileTrees.class);

    private FileTrees() {
    }

    public static FileStat stat(Path path, LinkOption... options) throws IOException {
        BasicFileAttributes attrs;
        Set<PosixFilePermission> permissions;
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            PosixFileAttributes posix = Files.readAttributes(path, PosixFileAttributes.class, options);
            attrs = posix;
            permissions = posix.permissions();
        } else {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, options);
            permissions = Set.of();
        }
        FileStat.Type type = attrs.isRegularFile() ? FileStat.Type.FILE
                : attrs.isDirectory() ? FileStat.Type.DIRECTORY
                : attrs.isSymbolicLink() ? FileStat.Type.SYMBOLIC_LINK
                : FileStat.Type.OTHER;
        return new FileStat(path, type, attrs.size(), attrs.lastModifiedTime().toInstant(),
                attrs.lastAccessTime().toInstant(), attrs.creationTime().toInstant(), permissions);
    }

    /** Moves atomically where possible, else by copy and delete, honouring the caller's options. */
    public static Path move(Path source, Path target, CopyOption... options) throws IOException {
        List<CopyOption> atomic = new ArrayList<>(Arrays.asList(options));
        atomic.add(StandardCopyOption.ATOMIC_MOVE);
        boolean replace = atomic.contains(StandardCopyOption.REPLACE_EXISTING);
        if (!replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            // ATOMIC_MOVE may replace silently (rename(2) does): refuse first, as a plain move would.
            throw new java.nio.file.FileAlreadyExistsException(target.toString());
        }
        try {
            return Files.move(source, target, atomic.toArray(CopyOption[]::new));
        } catch (AtomicMoveNotSupportedException e) {
            return Files.move(source, target, options);
        }
    }

    /** Deletes {@code root} and what is below it without following links; returns the number of entries deleted. */
    public static long deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        AtomicLong deleted = new AtomicLong();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException error) throws IOException {
                if (error != null) {
                    throw error;
                }
                delete(dir);
                return FileVisitResult.CONTINUE;
            }

            private void delete(Path p) throws IOException {
                try {
                    Files.delete(p);
                    deleted.incrementAndGet();
                } catch (NoSuchFileException e) {
                    // removed by someone else meanwhile: that is what we wanted
                }
            }
        });
        return deleted.get();
    }

    public static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.warn("closing {} failed", closeable, e);
        }
    }
}
