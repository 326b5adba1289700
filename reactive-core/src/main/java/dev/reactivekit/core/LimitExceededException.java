package dev.reactivekit.core;

/**
 * Input was larger than a configured limit allows: a file read whole, a line, a response body, a frame.
 * Permanent: the same input exceeds it again. The message names the input, the limit and, when known, the
 * size seen, for example {@code "/var/log/app.log is 20971520 bytes, over the limit of 16777216 bytes
 * (maxBytes)"}; {@link #limit()} is the limit and {@link #name()} the setting that defines it.
 */
public final class LimitExceededException extends PermanentException {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final long limit;

    /**
     * @param message what exceeded which limit, for people
     * @param name    the setting that defines the limit, for example {@code "maxLineLength"}
     * @param limit   its value
     */
    public LimitExceededException(String message, String name, long limit) {
        super(message);
        this.name = name;
        this.limit = limit;
    }

    /** The setting that defines the limit. */
    public String name() {
        return name;
    }

    /** The limit's value, in the setting's unit (bytes for sizes). */
    public long limit() {
        return limit;
    }
}
