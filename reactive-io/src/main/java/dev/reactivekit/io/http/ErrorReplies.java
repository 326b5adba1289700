package dev.reactivekit.io.http;

import dev.reactivekit.core.Failures;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an {@link HttpService} answers when a handler fails (see its class documentation): only errors made for
 * the reply reach the client as they are; everything else gets a generic body with a request id, and goes to
 * the log with that id.
 */
final class ErrorReplies {

    private static final Logger log = LoggerFactory.getLogger(HttpService.class);
    /** A client's own request id is reused only when it is short and plain, so it cannot forge log lines. */
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String REQUEST_ID = "X-Request-Id";

    private ErrorReplies() {
    }

    static ServerReply reply(Throwable error, NettyServerRequest request) {
        if (error instanceof ResponseStatusException status) {
            return HttpService.plain(status.status(), status.getMessage());
        }
        if (request.isBodyLimitError(error)) {
            return HttpService.plain(413, error.getMessage());
        }
        String id = requestId(request);
        String where = request.method() + " " + request.path();
        if (error instanceof HttpStatusException) {
            log.warn("{} failed (request {}): an upstream answered with an error", where, id, error);
            return generic(502, "bad gateway", id);
        }
        if (Failures.isTransient(error)) {
            log.warn("{} failed (request {}): a transient failure", where, id, error);
            return generic(503, "service unavailable", id);
        }
        log.error("{} failed (request {})", where, id, error);
        return generic(500, "internal server error", id);
    }

    private static ServerReply generic(int status, String words, String id) {
        return HttpService.plain(status, words + " (request " + id + ")").header(REQUEST_ID, id);
    }

    private static String requestId(NettyServerRequest request) {
        String given = request.header(REQUEST_ID).orElse(null);
        if (given != null && PLAIN_ID.matcher(given).matches()) {
            return given;
        }
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }
}
