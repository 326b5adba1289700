package dev.reactivekit.io.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two waits of one HTTP response on its connection: for the headers ({@code responseTimeout}, from the
 * request on), then between two reads of the body ({@code readTimeout}), until the last part has arrived, when
 * the handler removes itself so that it never fires on an idle pooled connection. Internal.
 * <p>
 * A timeout is not raised in the pipeline: Reactor Netty logs every error it sees there as a WARN with a stack
 * trace. It is handed to the request instead ({@link Listener}), which fails with it and cancels the exchange,
 * so that Reactor Netty closes the connection quietly. The timer is checked against the last read, as Netty's
 * idle handlers do, so a streaming body does not reschedule it per chunk.
 */
public final class ResponseTimeouts extends ChannelInboundHandlerAdapter {

    public static final String NAME = "reactivekit.responseTimeouts";

    /** Told when a wait ran out; returns whether a request was still waiting for the response. */
    @FunctionalInterface
    public interface Listener {
        boolean timedOut(TimeoutException timeout);
    }

    private final long headersNanos;
    private final long readNanos;
    private final Listener listener;
    private boolean headersSeen;
    private long lastRead;
    private ScheduledFuture<?> timer;

    public ResponseTimeouts(long headersMillis, long readMillis, Listener listener) {
        this.headersNanos = TimeUnit.MILLISECONDS.toNanos(headersMillis);
        this.readNanos = TimeUnit.MILLISECONDS.toNanos(readMillis);
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastRead = System.nanoTime();
        schedule(ctx, headersNanos);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastRead = System.nanoTime();
        boolean last = msg instanceof LastHttpContent;
        if (msg instanceof HttpResponse && !headersSeen) {
            headersSeen = true;
            cancel();
            if (!last) {
                schedule(ctx, readNanos);
            }
        }
        if (last) {
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        timer = null;
        if (ctx.isRemoved()) {
            return;
        }
        if (headersSeen) {
            long left = readNanos - (System.nanoTime() - lastRead);
            if (left > 0) {
                schedule(ctx, left);
                return;
            }
        }
        TimeoutException timeout = headersSeen ? new BodyTimeout() : new HeadersTimeout();
        ctx.pipeline().remove(this);
        if (!listener.timedOut(timeout)) {
            ctx.close(); // nobody to tell: the half-received response must not stay on a pooled connection
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** No response headers arrived within the response timeout. */
    public static final class HeadersTimeout extends TimeoutException {
        private static final long serialVersionUID = 1L;

        HeadersTimeout() {
            super("no response headers in time");
        }
    }

    /** The body stopped arriving for longer than the read timeout. */
    public static final class BodyTimeout extends TimeoutException {
        private static final long serialVersionUID = 1L;

        BodyTimeout() {
            super("no response data in time");
        }
    }
}
