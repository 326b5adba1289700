package dev.reactivekit.io.internal;

import dev.reactivekit.core.LimitExceededException;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Copies a body's buffers into one byte array as they arrive, refusing to grow past a limit; the buffers stay
 * owned (and released) by their producer. Not thread-safe: one per body, fed in order. Internal.
 */
public final class BodyCollector {

    private final long limit;
    private final String what;
    private final String setting;
    private byte[] bytes;
    private int size;

    /**
     * @param what        names the body in errors, for example "the response of GET http://..."
     * @param sizeHint    expected size (Content-Length), or -1
     */
    public BodyCollector(String what, long limit, long sizeHint) {
        this(what, limit, sizeHint, "maxBodySize");
    }

    /** @param setting the setting that defines {@code limit}, named in the error */
    public BodyCollector(String what, long limit, long sizeHint, String setting) {
        this.what = what;
        this.limit = limit;
        this.setting = setting;
        if (sizeHint > limit) {
            throw tooLarge(sizeHint);
        }
        this.bytes = new byte[(int) Math.max(0, Math.min(sizeHint, 1 << 20))];
    }

    public void add(ByteBuf buf) {
        int n = buf.readableBytes();
        if ((long) size + n > limit) {
            throw tooLarge((long) size + n);
        }
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(size + n, 2L * bytes.length + 1024)));
        }
        buf.getBytes(buf.readerIndex(), bytes, size, n);
        size += n;
    }

    public byte[] toBytes() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    private LimitExceededException tooLarge(long seen) {
        return new LimitExceededException(what + " is larger than the limit of " + limit + " bytes (at least " + seen
                + " bytes; " + setting + ")", setting, limit);
    }
}
