package dev.reactivekit.io.internal;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Function;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * Reads an {@link AsynchronousFileChannel} from a position to its end as chunks, with backpressure: a read is
 * issued only while the subscriber has demand, and at most one is in flight, so memory stays at one chunk per
 * outstanding request whatever the file size. Each chunk is a fresh heap buffer, flipped for reading, owned by
 * the subscriber. Signals are emitted from the channel's completion threads. The caller owns the channel and
 * closes it (a cancelled subscription only stops issuing reads).
 */
public final class ChannelReadFlux extends Flux<ByteBuffer> {

    private final AsynchronousFileChannel channel;
    private final long start;
    private final int chunkSize;
    private final Function<Throwable, Throwable> errorMapper;

    public ChannelReadFlux(AsynchronousFileChannel channel, long start, int chunkSize,
            Function<Throwable, Throwable> errorMapper) {
        this.channel = channel;
        this.start = start;
        this.chunkSize = chunkSize;
        this.errorMapper = errorMapper;
    }

    @Override
    public void subscribe(CoreSubscriber<? super ByteBuffer> actual) {
        actual.onSubscribe(new Reader(actual, this));
    }

    private static final class Reader implements Subscription, CompletionHandler<Integer, ByteBuffer> {
        @SuppressWarnings("rawtypes")
        private static final AtomicLongFieldUpdater<Reader> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(Reader.class, "requested");
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<Reader> READING =
                AtomicIntegerFieldUpdater.newUpdater(Reader.class, "reading");

        private final CoreSubscriber<? super ByteBuffer> actual;
        private final ChannelReadFlux parent;
        private volatile long requested;
        private volatile int reading;
        private volatile boolean cancelled;
        private boolean done;          // written by the completion thread that holds READING
        private long position;         // likewise

        Reader(CoreSubscriber<? super ByteBuffer> actual, ChannelReadFlux parent) {
            this.actual = actual;
            this.parent = parent;
            this.position = parent.start;
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(REQUESTED, this, n);
                readIfWanted();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        /** Starts the next read if there is demand and no read in flight. */
        private void readIfWanted() {
            if (cancelled || requested == 0 || !READING.compareAndSet(this, 0, 1)) {
                return;
            }
            if (done) {
                reading = 0;
                return;
            }
            ByteBuffer chunk = ByteBuffer.allocate(parent.chunkSize);
            try {
                parent.channel.read(chunk, position, chunk, this);
            } catch (Throwable t) {
                failed(t, chunk);
            }
        }

        @Override
        public void completed(Integer n, ByteBuffer chunk) {
            if (cancelled) {
                return;
            }
            if (n < 0) {
                done = true;
                actual.onComplete();
                return;
            }
            position += n;
            chunk.flip();
            REQUESTED.decrementAndGet(this);
            actual.onNext(chunk);
            reading = 0;
            readIfWanted();
        }

        @Override
        public void failed(Throwable error, ByteBuffer chunk) {
            // After a cancel the channel is closed under a pending read: that error is expected, not news.
            if (cancelled || done) {
                return;
            }
            done = true;
            actual.onError(parent.errorMapper.apply(error));
        }
    }
}
