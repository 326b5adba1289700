package dev.reactivekit.io.internal;

import dev.reactivekit.io.http.DownloadProgress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Streams a body into a file that appears at its target only when complete: chunks go to a temporary file
 * next to the target, a progress event follows each chunk written, and the temporary file is moved into place
 * at the end or deleted on error and cancellation. Internal.
 */
public final class Downloads {

    private Downloads() {
    }

    public static Flux<DownloadProgress> save(Flux<ByteBuffer> body, long total, Path target, FileChannels channels) {
        Mono<Partial> open = Mono.defer(() -> {
            Path temp = FileCopier.temporarySibling(target);
            return channels.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
                    .map(channel -> new Partial(temp, channel));
        });
        return Flux.usingWhen(open,
                partial -> body.concatMap(chunk -> partial.write(chunk)
                                .map(n -> new DownloadProgress(target, partial.written, total, false)), 1)
                        .concatWith(channels.offload(() -> {
                            partial.channel.close();
                            FileCopier.moveIntoPlace(partial.temp, target, true);
                            return new DownloadProgress(target, partial.written, total, true);
                        })),
                partial -> Mono.empty(),
                (partial, error) -> channels.offload(partial::discard),
                partial -> channels.offload(partial::discard));
    }

    /** The temporary file being written; writes are sequential, one chunk at a time. */
    private static final class Partial {
        final Path temp;
        final AsynchronousFileChannel channel;
        volatile long written;

        Partial(Path temp, AsynchronousFileChannel channel) {
            this.temp = temp;
            this.channel = channel;
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
                    sink.error(FileChannels.withPath(error, temp));
                }
            });
        }

        boolean discard() throws IOException {
            channel.close();
            return Files.deleteIfExists(temp);
        }
    }
}
