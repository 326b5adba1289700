package dev.reactivekit.io.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fails a request whose response headers do not arrive within the response timeout. Added when the request is
 * sent and removed when the response begins, so it never fires on an idle pooled connection; the error is
 * told apart from the read timeout, which bounds the gaps while the body streams in. Internal.
 */
public final class ResponseTimeoutHandler extends ReadTimeoutHandler {

    public static final String NAME = "reactivekit.responseTimeout";

    public ResponseTimeoutHandler(long millis) {
        super(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void readTimedOut(ChannelHandlerContext ctx) {
        ctx.fireExceptionCaught(new HeadersTimeout());
        ctx.close();
    }

    /** No response headers arrived in time. */
    public static final class HeadersTimeout extends TimeoutException {
        private static final long serialVersionUID = 1L;

        HeadersTimeout() {
            super("no response headers in time");
        }
    }
}
