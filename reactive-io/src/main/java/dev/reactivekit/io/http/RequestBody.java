package dev.reactivekit.io.http;

import dev.reactivekit.core.internal.Checks;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.reactivestreams.Publisher;

/**
 * What a request sends. {@link #text}, {@link #bytes} and {@link #json} bodies can be sent again, so their
 * requests may be retried; a {@link #stream} can be sent once, so a request with one is never retried.
 */
public sealed interface RequestBody permits RequestBody.Bytes, RequestBody.Json, RequestBody.Stream {

    /** The Content-Type sent with the body unless the request sets one. */
    String contentType();

    /** UTF-8 text, sent as {@code text/plain; charset=utf-8}. */
    static RequestBody text(String text) {
        return new Bytes(Checks.notNull(text, "text").getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    /** Raw bytes, sent as {@code application/octet-stream}. */
    static RequestBody bytes(byte[] bytes) {
        return new Bytes(Checks.notNull(bytes, "bytes").clone(), "application/octet-stream");
    }

    /** Raw bytes with the given content type. */
    static RequestBody bytes(byte[] bytes, String contentType) {
        return new Bytes(Checks.notNull(bytes, "bytes").clone(), Checks.notNull(contentType, "contentType"));
    }

    /** {@code value} serialized by the fetcher's Jackson ObjectMapper, sent as {@code application/json}. */
    static RequestBody json(Object value) {
        return new Json(value);
    }

    /** A stream of buffers, sent as they come (chunked unless a Content-Length header is set). Sent once. */
    static RequestBody stream(Publisher<ByteBuffer> data, String contentType) {
        return new Stream(Checks.notNull(data, "data"), Checks.notNull(contentType, "contentType"));
    }

    /** Bytes known in advance. */
    record Bytes(byte[] content, String contentType) implements RequestBody {
    }

    /** A value to serialize as JSON. */
    record Json(Object value) implements RequestBody {
        @Override
        public String contentType() {
            return "application/json";
        }
    }

    /** A one-shot stream. */
    record Stream(Publisher<ByteBuffer> data, String contentType) implements RequestBody {
    }
}
