package dev.reactivekit.io.tcp;

import dev.reactivekit.core.internal.Checks;

/**
 * How a connection's byte stream is cut into messages. With framing, {@link TcpConnection#receive()} yields one
 * buffer per message (without its delimiter or length prefix) and {@link TcpConnection#send} frames each buffer
 * it is given. A frame longer than the limit ends the connection with a
 * {@link dev.reactivekit.core.LimitExceededException}.
 */
public final class Framing {

    /** Kinds of framing. */
    public enum Kind {
        /** No framing: chunks as they arrive. */
        NONE,
        /** Lines ending with {@code \n} or {@code \r\n}; sent lines get a {@code \n}. */
        LINES,
        /** A 4-byte big-endian length, then that many bytes. */
        LENGTH_PREFIXED
    }

    /** Default longest frame: 64 KiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024;

    private static final Framing NONE = new Framing(Kind.NONE, Integer.MAX_VALUE);

    private final Kind kind;
    private final int maxFrameSize;

    private Framing(Kind kind, int maxFrameSize) {
        this.kind = kind;
        this.maxFrameSize = maxFrameSize;
    }

    /** Raw chunks, as the network delivers them. */
    public static Framing none() {
        return NONE;
    }

    /** Lines of at most {@link #DEFAULT_MAX_FRAME_SIZE} bytes. */
    public static Framing lines() {
        return lines(DEFAULT_MAX_FRAME_SIZE);
    }

    /** Lines of at most {@code maxLength} bytes (> 0), terminator excluded. */
    public static Framing lines(int maxLength) {
        return new Framing(Kind.LINES, Checks.positive(maxLength, "maxLength"));
    }

    /** Length-prefixed frames of at most {@link #DEFAULT_MAX_FRAME_SIZE} bytes. */
    public static Framing lengthPrefixed() {
        return lengthPrefixed(DEFAULT_MAX_FRAME_SIZE);
    }

    /** Length-prefixed frames of at most {@code maxLength} bytes (> 0). */
    public static Framing lengthPrefixed(int maxLength) {
        return new Framing(Kind.LENGTH_PREFIXED, Checks.positive(maxLength, "maxLength"));
    }

    public Kind kind() {
        return kind;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public String toString() {
        return kind == Kind.NONE ? "Framing[none]" : "Framing[" + kind + ", max " + maxFrameSize + " bytes]";
    }
}
