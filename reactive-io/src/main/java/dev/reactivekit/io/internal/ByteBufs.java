package dev.reactivekit.io.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/** Conversions at the edge between Netty buffers and JDK ones. Internal. */
public final class ByteBufs {

    private ByteBufs() {
    }

    /** A heap copy of the readable bytes of {@code buf}; does not release it. */
    public static ByteBuffer copy(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return ByteBuffer.wrap(bytes);
    }

    /** Wraps {@code buffer} without copying; the result needs no release (it is not pooled). */
    public static ByteBuf wrap(ByteBuffer buffer) {
        return Unpooled.wrappedBuffer(buffer);
    }
}
