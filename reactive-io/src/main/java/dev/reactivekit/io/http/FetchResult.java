package dev.reactivekit.io.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A response with its whole body: the URL it finally came from (after redirects), status, headers, body,
 * how long the request took and how many attempts it needed.
 */
public final class FetchResult {

    private final String url;
    private final int status;
    private final Headers headers;
    private final byte[] body;
    private final Duration elapsed;
    private final int attempts;
    private final ObjectMapper mapper;

    FetchResult(String url, int status, Headers headers, byte[] body, Duration elapsed, int attempts, ObjectMapper mapper) {
        this.url = url;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.elapsed = elapsed;
        this.attempts = attempts;
        this.mapper = mapper;
    }

    FetchResult withAttempts(int attempts) {
        return new FetchResult(url, status, headers, body, elapsed, attempts, mapper);
    }

    /** The URL the response came from, after any redirects. */
    public String url() {
        return url;
    }

    public int status() {
        return status;
    }

    public Headers headers() {
        return headers;
    }

    /** The body's bytes (a copy). */
    public byte[] body() {
        return body.clone();
    }

    /** The body's length in bytes. */
    public int length() {
        return body.length;
    }

    /** Time from the first attempt's start to the response's last byte, retries included. */
    public Duration elapsed() {
        return elapsed;
    }

    /** Attempts made, the successful one included (1 without retries). */
    public int attempts() {
        return attempts;
    }

    /** The body as text, in the charset of its Content-Type (UTF-8 when none is given). */
    public String text() {
        return new String(body, charset());
    }

    /** The body parsed as JSON into {@code type}; malformed JSON throws an {@link InvalidBodyException}. */
    public <T> T json(Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (IOException e) {
            throw new InvalidBodyException("the body of " + url + " is not JSON for " + type.getSimpleName() + ": "
                    + reason(e), e);
        }
    }

    /** The body parsed as JSON into a generic type, for example {@code new TypeReference<List<User>>() {}}. */
    public <T> T json(TypeReference<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (IOException e) {
            throw new InvalidBodyException("the body of " + url + " is not JSON for " + type.getType() + ": "
                    + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException json ? json.getOriginalMessage()
                : e.getMessage();
    }

    private Charset charset() {
        return headers.first("Content-Type").map(FetchResult::charsetOf).orElse(StandardCharsets.UTF_8);
    }

    static Charset charsetOf(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", "").trim());
                } catch (RuntimeException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public String toString() {
        return "FetchResult[" + status + " " + url + ", " + body.length + " bytes, " + elapsed.toMillis() + " ms, "
                + attempts + (attempts == 1 ? " attempt]" : " attempts]");
    }
}
