package dev.reactivekit.io.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Copies files through a temporary sibling of the target that is moved into place only when complete, so a
 * failed or cancelled copy never leaves a partial file at the target (nor replaces the old one). The bytes
 * move with {@link FileChannel#transferTo} (sendfile on Linux), in slices, checking for cancellation between
 * slices. Internal.
 */
public final class FileCopier {

    /** Bytes per transferTo call: large enough to stay in the kernel, small enough to notice a cancel soon. */
    private static final long SLICE = 64L << 20;

    private final FileChannels channels;

    public FileCopier(FileChannels channels) {
        this.channels = channels;
    }

    /** Copies {@code source} to {@code target}; emits the number of bytes copied. */
    public Mono<Long> copy(Path source, Path target, CopyOption... options) {
        boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
        return Mono.defer(() -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            return channels.offload(() -> copyNow(source, target, replace, cancelled))
                    .doOnCancel(() -> cancelled.set(true));
        });
    }

    private static long copyNow(Path source, Path target, boolean replace, AtomicBoolean cancelled) throws IOException {
        if (Files.isDirectory(source)) {
            throw new FileSystemException(source.toString(), null, "Is a directory");
        }
        if (!replace && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path temp = temporarySibling(target);
        boolean done = false;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            long copied = 0;
            while (copied < size && !cancelled.get()) {
                copied += in.transferTo(copied, Math.min(SLICE, size - copied), out);
            }
            if (cancelled.get()) {
                return copied;
            }
            moveIntoPlace(temp, target, replace);
            done = true;
            return copied;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * What {@code write} writes into a temporary sibling of {@code target} (a file it must create and close):
     * once {@code write} completes the file is moved into place, then the stream completes; if {@code write}
     * fails or the stream is cancelled, the temporary file is deleted and {@code target} stays as it was. The
     * one way ReactiveKit puts a file in place only once it is whole (transfers, downloads).
     */
    public static <T> Flux<T> intoPlace(Path target, FileChannels channels, Function<Path, Publisher<T>> write) {
        return Flux.usingWhen(Mono.fromSupplier(() -> temporarySibling(target)),
                temp -> Flux.from(write.apply(temp))
                        .concatWith(channels.offload(() -> {
                            moveIntoPlace(temp, target, true);
                            return true;
                        }).onErrorMap(e -> FileErrors.map(e, target)).then(Mono.empty())),
                temp -> Mono.empty(),
                (temp, error) -> channels.offload(() -> Files.deleteIfExists(temp)),
                temp -> channels.offload(() -> Files.deleteIfExists(temp)));
    }

    /** A name for a temporary file next to {@code target}, on the same file system so the move can be atomic. */
    public static Path temporarySibling(Path target) {
        Path name = target.getFileName();
        return target.resolveSibling("." + name + ".part-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /** Moves a completed temporary file to its target, atomically where the file system allows. */
    public static void moveIntoPlace(Path temp, Path target, boolean replace) throws IOException {
        if (!replace && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
