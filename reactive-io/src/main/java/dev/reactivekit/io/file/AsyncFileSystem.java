package dev.reactivekit.io.file;

import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.io.internal.FileChannels;
import dev.reactivekit.io.internal.FileTrees;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Operations on paths (Python's {@code aiofiles.os}), from {@link AsyncFiles#os()}: each runs on the
 * {@code AsyncFiles}' offload threads, fails as a {@link FileException} naming the path, and honours the caller's
 * {@link dev.reactivekit.core.Deadline}, as the data operations of {@link AsyncFiles} do.
 *
 * <pre>{@code
 * AsyncFileSystem os = AsyncFiles.shared().os();
 * os.createDirectories(Path.of("output/subdir"))                      // makedirs(exist_ok=True)
 *     .then(os.move(Path.of("old.txt"), Path.of("new.txt"), StandardCopyOption.ATOMIC_MOVE));   // rename
 * }</pre>
 */
public final class AsyncFileSystem {

    private final FileChannels channels;

    AsyncFileSystem(FileChannels channels) {
        this.channels = channels;
    }

    /** Whether {@code path} exists (following symbolic links). */
    public Mono<Boolean> exists(Path path) {
        Checks.notNull(path, "path");
        return AsyncFiles.guarded(channels.offload(() -> Files.exists(path)), path);
    }

    /** Size, times, type and permissions of {@code path} (Python's {@code os.stat}). */
    public Mono<FileStat> stat(Path path, LinkOption... options) {
        Checks.notNull(path, "path");
        return AsyncFiles.guarded(channels.offload(() -> FileTrees.stat(path, options)), path);
    }

    /** Creates {@code dir} and any missing parents; fine if it exists (Python's {@code makedirs(exist_ok=True)}). */
    public Mono<Path> createDirectories(Path dir) {
        Checks.notNull(dir, "dir");
        return AsyncFiles.guarded(channels.offload(() -> Files.createDirectories(dir)), dir);
    }

    /** The entries of {@code dir}, not recursively, in no particular order (Python's {@code os.listdir}). */
    public Flux<Path> list(Path dir) {
        Checks.notNull(dir, "dir");
        return AsyncFiles.guarded(Flux.using(() -> Files.newDirectoryStream(dir), Flux::fromIterable, FileTrees::closeQuietly)
                .subscribeOn(channels.scheduler()), dir);
    }

    /** {@code dir} and everything below it, depth first, at most {@code maxDepth} levels down. */
    public Flux<Path> walk(Path dir, int maxDepth) {
        Checks.notNull(dir, "dir");
        Checks.notNegative(maxDepth, "maxDepth");
        return AsyncFiles.guarded(Flux.using(() -> Files.walk(dir, maxDepth), Flux::fromStream, java.util.stream.Stream::close)
                .subscribeOn(channels.scheduler()), dir);
    }

    /**
     * Moves {@code source} to {@code target}: atomically where the file system allows, otherwise by copying and
     * deleting. Without {@link StandardCopyOption#REPLACE_EXISTING} an existing target fails the move. With
     * {@link StandardCopyOption#ATOMIC_MOVE} it is Python's {@code os.rename}: it never copies, so readers see
     * either the old or the new name, never neither, and where the file system cannot (across file systems) it
     * fails with an {@link AtomicMoveNotSupportedException} as the cause.
     */
    public Mono<Path> move(Path source, Path target, CopyOption... options) {
        Checks.notNull(source, "source");
        Checks.notNull(target, "target");
        return AsyncFiles.guarded(channels.offload(() -> FileTrees.move(source, target, options)), source);
    }

    /** Deletes a file or empty directory (Python's {@code os.remove}); it must exist. */
    public Mono<Void> delete(Path path) {
        Checks.notNull(path, "path");
        return AsyncFiles.guarded(channels.offload(() -> {
            Files.delete(path);
            return null;
        }).then(), path);
    }

    /** Deletes {@code path} if it exists; emits whether it did. */
    public Mono<Boolean> deleteIfExists(Path path) {
        Checks.notNull(path, "path");
        return AsyncFiles.guarded(channels.offload(() -> Files.deleteIfExists(path)), path);
    }

    /**
     * Removes an empty directory (Python's {@code os.rmdir}): a file fails with {@link NotDirectoryException}, a
     * directory with entries with {@link java.nio.file.DirectoryNotEmptyException}.
     */
    public Mono<Void> deleteEmptyDirectory(Path dir) {
        Checks.notNull(dir, "dir");
        return AsyncFiles.guarded(channels.offload(() -> {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new NotDirectoryException(dir.toString());
            }
            Files.delete(dir);
            return null;
        }).then(), dir);
    }

    /**
     * Deletes {@code path} and, for a directory, everything below it (Python's {@code shutil.rmtree}); symbolic
     * links are deleted, never followed. Emits how many entries were deleted (0 if {@code path} did not exist).
     */
    public Mono<Long> deleteRecursively(Path path) {
        Checks.notNull(path, "path");
        return AsyncFiles.guarded(channels.offload(() -> FileTrees.deleteRecursively(path)), path);
    }

    /** Creates an empty file with a unique name in {@code dir} ({@code null}: the system temp directory). */
    public Mono<Path> createTempFile(Path dir, String prefix, String suffix) {
        return AsyncFiles.guarded(channels.offload(() -> dir == null ? Files.createTempFile(prefix, suffix)
                : Files.createTempFile(dir, prefix, suffix)), dir);
    }

    /** Creates a new directory with a unique name in {@code dir} ({@code null}: the system temp directory). */
    public Mono<Path> createTempDirectory(Path dir, String prefix) {
        return AsyncFiles.guarded(channels.offload(() -> dir == null ? Files.createTempDirectory(prefix)
                : Files.createTempDirectory(dir, prefix)), dir);
    }
}
