package dev.reactivekit.io.internal;

import dev.reactivekit.io.http.DownloadProgress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Streams a body into a file that appears at its target only when complete: chunks go to a temporary file
 * next to the target, a progress event follows each chunk written, and the temporary file is moved into place
 * at the end or deleted on error and cancellation. File errors are {@link dev.reactivekit.io.file.FileException}s
 * (a local failure, never a network one). Internal.
 */
public final class Downloads {

    private Downloads() {
    }

    public static Flux<DownloadProgress> save(Flux<ByteBuffer> body, long total, Path target, FileChannels channels) {
        AtomicLong written = new AtomicLong();
        return FileCopier.intoPlace(target, channels, temp -> Flux.usingWhen(
                        channels.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
                                .onErrorMap(e -> FileErrors.map(e, temp))
                                .map(channel -> new Partial(temp, channel, 0)),
                        partial -> body.concatMap(chunk -> partial.write(chunk)
                                .map(n -> new DownloadProgress(target, written.addAndGet(n), total, false)), 1),
                        partial -> channels.offload(partial::close).onErrorMap(e -> FileErrors.map(e, temp)),
                        (partial, error) -> channels.offload(partial::close),
                        partial -> channels.offload(partial::close)))
                .concatWith(Mono.fromSupplier(() -> new DownloadProgress(target, written.get(), total, true)));
    }

    /**
     * Streams a body into {@code partial} from {@code offset} on (truncating it first when {@code offset} is 0),
     * with progress counted from {@code offset}; once complete the partial file is moved to {@code target}. On
     * error and cancellation it is closed and kept, for a later download to continue from (resumable downloads).
     */
    public static Flux<DownloadProgress> resume(Flux<ByteBuffer> body, long offset, long total, Path partial,
            Path target, FileChannels channels) {
        AtomicLong written = new AtomicLong(offset);
        Set<StandardOpenOption> options = offset == 0
                ? Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
                : Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        return Flux.usingWhen(
                        channels.open(partial, options).onErrorMap(e -> FileErrors.map(e, partial))
                                .map(channel -> new Partial(partial, channel, offset)),
                        file -> body.concatMap(chunk -> file.write(chunk)
                                .map(n -> new DownloadProgress(target, written.addAndGet(n), total, false)), 1),
                        file -> channels.offload(file::close).onErrorMap(e -> FileErrors.map(e, partial)),
                        (file, error) -> channels.offload(file::close),
                        file -> channels.offload(file::close))
                .concatWith(channels.offload(() -> {
                    FileCopier.moveIntoPlace(partial, target, true);
                    return true;
                }).onErrorMap(e -> FileErrors.map(e, target)).then(Mono.empty()))
                .concatWith(Mono.fromSupplier(() -> new DownloadProgress(target, written.get(), total, true)));
    }

    /** The temporary file being written; writes are sequential, one chunk at a time. */
    private static final class Partial {
        final Path temp;
        final AsynchronousFileChannel channel;
        volatile long written;

        Partial(Path temp, AsynchronousFileChannel channel, long position) {
            this.temp = temp;
            this.channel = channel;
            this.written = position;
        }

        Mono<Integer> write(ByteBuffer chunk) {
            int size = chunk.remaining();
            return Mono.create(sink -> writeFrom(chunk, size, sink));
        }

        private void writeFrom(ByteBuffer chunk, int size, MonoSink<Integer> sink) {
            channel.write(chunk, written, null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer n, Void attachment) {
                    written += n;
                    if (chunk.hasRemaining()) {
                        writeFrom(chunk, size, sink);
                    } else {
                        sink.success(size);
                    }
                }

                @Override
                public void failed(Throwable error, Void attachment) {
                    sink.error(FileErrors.map(error, temp));
                }
            });
        }

        boolean close() throws IOException {
            channel.close();
            return true;
        }
    }
}
