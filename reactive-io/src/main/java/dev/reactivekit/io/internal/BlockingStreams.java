package dev.reactivekit.io.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.Executors;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Blocking byte channels (process pipes, OS pipes) as Flux and Mono. Reads happen only on demand, one chunk per
 * request; writes take one buffer at a time.
 * <p>
 * Each stream gets a thread of its own for its lifetime, disposed when it ends. A pooled scheduler would be
 * wrong here: a pipe read can block until the other side closes, even after its subscription was cancelled
 * (reads of pipes are not interruptible), and a pool that believes the thread free would queue the next task,
 * such as the kill that would unblock it, behind that read. Internal.
 */
public final class BlockingStreams {

    private static final Logger log = LoggerFactory.getLogger(BlockingStreams.class);

    private BlockingStreams() {
    }

    /** Chunks read from {@code in} until end of stream; the channel is closed when the Flux ends or is cancelled. */
    public static Flux<ByteBuffer> read(ReadableByteChannel in, int chunkSize, String threadName) {
        return Flux.using(() -> dedicatedThread(threadName),
                thread -> Flux.<ByteBuffer>generate(sink -> {
                            ByteBuffer chunk = ByteBuffer.allocate(chunkSize);
                            try {
                                int n = in.read(chunk);
                                if (n < 0) {
                                    sink.complete();
                                } else {
                                    sink.next(chunk.flip());
                                }
                            } catch (IOException e) {
                                sink.error(e);
                            }
                        })
                        .doFinally(signal -> closeQuietly(in))
                        .subscribeOn(thread),
                Scheduler::dispose);
    }

    /**
     * Writes every buffer of {@code data} to {@code out} and then closes it; emits the bytes written. If the
     * reader goes away (a process that exited or closed its input: "Broken pipe"), writing stops quietly, the
     * rest of {@code data} is not requested, and the Mono completes with what was written.
     */
    public static Mono<Long> write(Publisher<ByteBuffer> data, WritableByteChannel out, String threadName) {
        return Mono.using(() -> dedicatedThread(threadName),
                thread -> Flux.from(data)
                        .concatMap(buffer -> Mono.fromCallable(() -> writeFully(out, buffer)).subscribeOn(thread), 1)
                        .takeWhile(written -> written >= 0)
                        .reduce(0L, Long::sum)
                        .doFinally(signal -> closeQuietly(out)),
                Scheduler::dispose);
    }

    /**
     * A scheduler over one daemon thread that may block (unlike Reactor's single and parallel schedulers, whose
     * threads BlockHound rightly treats as non-blocking); disposing it shuts the thread down.
     */
    private static Scheduler dedicatedThread(String name) {
        return Schedulers.fromExecutorService(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }), name);
    }

    /** Bytes written, or -1 if the reader has gone away. */
    private static long writeFully(WritableByteChannel out, ByteBuffer buffer) {
        long n = 0;
        try {
            while (buffer.hasRemaining()) {
                n += out.write(buffer);
            }
            return n;
        } catch (IOException e) {
            log.debug("the reading side went away after {} bytes: {}", n, e.toString());
            return -1;
        }
    }

    public static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.debug("closing {} failed", closeable, e);
        }
    }
}
