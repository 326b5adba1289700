package dev.reactivekit.io.process;

import dev.reactivekit.core.AsyncCloseable;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.io.internal.BlockingStreams;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An operating-system pipe (Python's {@code os.pipe()} with a StreamReader and a StreamWriter on its ends):
 * bytes written to the sink come out of the source, in order, with the pipe's own backpressure (a writer
 * waits while the pipe buffer is full).
 *
 * <pre>{@code
 * AsyncPipe pipe = AsyncPipe.open().block();
 * Mono<Long> written = pipe.write(Flux.just(ByteBuffer.wrap("Hello pipe".getBytes())));   // then closes the sink
 * Flux<ByteBuffer> read = pipe.source();                                                  // until the sink closes
 * }</pre>
 *
 * {@link #source()} may be subscribed once and closes the reading end when it ends or is cancelled;
 * {@link #write} closes the writing end when its publisher completes, which ends the source. {@link #close()}
 * closes both. Each end is read or written by a thread of its own while it is in use.
 */
public final class AsyncPipe implements AsyncCloseable {

    private final Pipe pipe;
    private final Processes owner;

    private AsyncPipe(Pipe pipe, Processes owner) {
        this.pipe = pipe;
        this.owner = owner;
    }

    /** Opens a new pipe. */
    public static Mono<AsyncPipe> open() {
        Processes owner = Processes.shared();
        return Mono.fromCallable(() -> new AsyncPipe(Pipe.open(), owner)).subscribeOn(owner.controlScheduler());
    }

    /** What is written to the pipe, in chunks of up to 8 KiB, until the writing end is closed. */
    public Flux<ByteBuffer> source() {
        return BlockingStreams.read(pipe.source(), 8192, "reactivekit-pipe-source");
    }

    /** Writes {@code data} into the pipe, then closes the writing end; emits the bytes written. */
    public Mono<Long> write(Publisher<ByteBuffer> data) {
        Checks.notNull(data, "data");
        return BlockingStreams.write(data, pipe.sink(), "reactivekit-pipe-sink");
    }

    /** Closes both ends. Idempotent. */
    @Override
    public Mono<Void> close() {
        return Mono.fromRunnable(() -> {
            BlockingStreams.closeQuietly(pipe.sink());
            BlockingStreams.closeQuietly(pipe.source());
        }).subscribeOn(owner.controlScheduler()).then();
    }
}
