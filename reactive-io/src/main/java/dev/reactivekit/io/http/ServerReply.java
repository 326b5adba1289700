package dev.reactivekit.io.http;

import dev.reactivekit.core.internal.Checks;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.reactivestreams.Publisher;

/**
 * What an {@link HttpService} route answers: status, headers, and a body (bytes, text, JSON, or a stream).
 * Immutable; {@link #status(int)} and {@link #header} return copies.
 *
 * <pre>{@code
 * ServerReply.text("hello");
 * ServerReply.json(user).header("Cache-Control", "no-store");
 * ServerReply.stream(files.read(path), "application/octet-stream");
 * ServerReply.empty(204);
 * }</pre>
 */
public final class ServerReply {

    private final int status;
    private final Headers headers;
    private final byte[] bytes;
    private final Object json;
    private final Publisher<ByteBuffer> stream;

    private ServerReply(int status, Headers headers, byte[] bytes, Object json, Publisher<ByteBuffer> stream) {
        this.status = status;
        this.headers = headers;
        this.bytes = bytes;
        this.json = json;
        this.stream = stream;
    }

    /** 200 with UTF-8 text. */
    public static ServerReply text(String text) {
        Checks.notNull(text, "text");
        return new ServerReply(200, Headers.of("Content-Type", "text/plain; charset=utf-8"),
                text.getBytes(StandardCharsets.UTF_8), null, null);
    }

    /** 200 with {@code value} serialized by the service's Jackson mapper. */
    public static ServerReply json(Object value) {
        return new ServerReply(200, Headers.of("Content-Type", "application/json"), null, value, null);
    }

    /** 200 with bytes of the given content type. */
    public static ServerReply bytes(byte[] bytes, String contentType) {
        Checks.notNull(bytes, "bytes");
        return new ServerReply(200, Headers.of("Content-Type", Checks.notNull(contentType, "contentType")), bytes, null, null);
    }

    /** 200 with a body streamed as it is produced (chunked), with backpressure from the connection. */
    public static ServerReply stream(Publisher<ByteBuffer> body, String contentType) {
        Checks.notNull(body, "body");
        return new ServerReply(200, Headers.of("Content-Type", Checks.notNull(contentType, "contentType")), null, null, body);
    }

    /** {@code status} without a body. */
    public static ServerReply empty(int status) {
        return new ServerReply(checkStatus(status), Headers.empty(), new byte[0], null, null);
    }

    /** A copy with another status (100-599). */
    public ServerReply status(int status) {
        return new ServerReply(checkStatus(status), headers, bytes, json, stream);
    }

    /** A copy with header {@code name} set to {@code value}. */
    public ServerReply header(String name, String value) {
        return new ServerReply(status, headers.set(name, value), bytes, json, stream);
    }

    public int status() {
        return status;
    }

    public Headers headers() {
        return headers;
    }

    /** The body's bytes when fixed, or {@code null} for a JSON value or a stream. */
    byte[] bytes() {
        return bytes;
    }

    /** The value to serialize as JSON, or {@code null}. */
    Object jsonValue() {
        return json;
    }

    /** The streamed body, or {@code null}. */
    Publisher<ByteBuffer> stream() {
        return stream;
    }

    private static int checkStatus(int status) {
        Checks.isTrue(status >= 100 && status <= 599, () -> "`status` must be in [100, 599]: " + status);
        return status;
    }

    @Override
    public String toString() {
        return "ServerReply[" + status + " " + headers.first("Content-Type").orElse("") + "]";
    }
}
