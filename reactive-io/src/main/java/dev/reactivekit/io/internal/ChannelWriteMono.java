package dev.reactivekit.io.internal;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Writes every buffer of a publisher to an {@link AsynchronousFileChannel} from a position, one buffer at a
 * time (a buffer is requested only once the previous one is fully written, the {@code drain()} of asyncio's
 * StreamWriter), and emits the number of bytes written. The caller owns the channel and closes it.
 */
public final class ChannelWriteMono extends Mono<Long> {

    private final Publisher<ByteBuffer> data;
    private final AsynchronousFileChannel channel;
    private final long start;
    private final Function<Throwable, Throwable> errorMapper;

    public ChannelWriteMono(Publisher<ByteBuffer> data, AsynchronousFileChannel channel, long start,
            Function<Throwable, Throwable> errorMapper) {
        this.data = data;
        this.channel = channel;
        this.start = start;
        this.errorMapper = errorMapper;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Long> actual) {
        data.subscribe(new Writer(actual, this));
    }

    private static final class Writer extends Operators.MonoSubscriber<ByteBuffer, Long>
            implements CompletionHandler<Integer, ByteBuffer> {
        private static final int WRITING = 1;
        private static final int UPSTREAM_DONE = 2;
        private static final int TERMINATED = 4;
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<Writer> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Writer.class, "flags");

        private final ChannelWriteMono parent;
        private Subscription upstream;
        private volatile int flags;
        private long position;
        private long written;
        /** The source's error, reported once the buffer being written is done. */
        private volatile Throwable upstreamError;

        Writer(CoreSubscriber<? super Long> actual, ChannelWriteMono parent) {
            super(actual);
            this.parent = parent;
            this.position = parent.start;
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
                s.request(1);
            }
        }

        @Override
        public void onNext(ByteBuffer buffer) {
            STATE.getAndUpdate(this, f -> f | WRITING);
            write(buffer);
        }

        private void write(ByteBuffer buffer) {
            if (!buffer.hasRemaining()) {
                completed(0, buffer);
                return;
            }
            try {
                parent.channel.write(buffer, position, buffer, this);
            } catch (Throwable t) {
                failed(t, buffer);
            }
        }

        @Override
        public void completed(Integer n, ByteBuffer buffer) {
            if (isCancelled() || (flags & TERMINATED) != 0) {
                return;
            }
            position += n;
            written += n;
            if (buffer.hasRemaining()) {
                write(buffer);
                return;
            }
            int before = STATE.getAndUpdate(this, f -> f & ~WRITING);
            if ((before & UPSTREAM_DONE) != 0) {
                finish();
            } else {
                upstream.request(1);
            }
        }

        @Override
        public void failed(Throwable error, ByteBuffer buffer) {
            if (isCancelled() || !terminate()) {
                return;
            }
            upstream.cancel();
            actual.onError(parent.errorMapper.apply(error));
        }

        @Override
        public void onError(Throwable t) {
            // Bytes already accepted are written before the error is reported: nothing accepted is lost.
            upstreamError = t;
            onComplete();
        }

        @Override
        public void onComplete() {
            int before = STATE.getAndUpdate(this, f -> f | UPSTREAM_DONE);
            if ((before & WRITING) == 0) {
                finish();
            }
        }

        private void finish() {
            if (!terminate()) {
                return;
            }
            Throwable error = upstreamError;
            if (error != null) {
                actual.onError(error);
            } else {
                complete(written);
            }
        }

        private boolean terminate() {
            int before = STATE.getAndUpdate(this, f -> f | TERMINATED);
            return (before & TERMINATED) == 0;
        }

        @Override
        public void cancel() {
            super.cancel();
            upstream.cancel();
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }
    }
}
