package dev.reactivekit.io.internal;

import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.io.MalformedTextException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Splits a stream of byte chunks into lines, as {@code BufferedReader.readLine} does: a line ends at
 * {@code \n}, {@code \r} or {@code \r\n}, the terminator is dropped, and a last line without terminator is
 * kept. Chunk edges may fall anywhere: inside a multi-byte character or between {@code \r} and {@code \n}.
 * <p>
 * For UTF-8, US-ASCII and ISO-8859-1 the split happens on bytes, which is both fast and exact: in those
 * charsets the bytes {@code 0x0A} and {@code 0x0D} only ever mean {@code \n} and {@code \r}, never part of a
 * longer character, so each complete line is decoded in one go. Other charsets (UTF-16...) go through a
 * {@link CharsetDecoder} that carries partial characters from one chunk to the next. Malformed input is an
 * error, as with {@code Files.lines}; lines longer than the limit are an error instead of a memory blow-up.
 * Not thread-safe: one splitter per stream, fed in order.
 */
public final class LineSplitter {

    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private final String source;
    private final Charset charset;
    private final int maxLineLength;
    private final boolean byteLevel;
    private long lines;
    /** An error found after some lines of a chunk: those lines are delivered first, the error on the next call. */
    private RuntimeException pending;

    // byte-level state: the start of a line that continues in the next chunk
    private byte[] carry = new byte[0];
    private int carryLength;
    private boolean afterCr;

    // decoder state
    private CharsetDecoder decoder;
    private ByteBuffer undecoded;
    private CharBuffer decoded;
    private StringBuilder partial;

    /**
     * @param source        what is being read, for error messages (a path, "stdout of cat")
     * @param maxLineLength the longest line accepted, in bytes (in chars for charsets split by a decoder)
     */
    public LineSplitter(String source, Charset charset, int maxLineLength) {
        this.source = source;
        this.charset = charset;
        this.maxLineLength = maxLineLength;
        this.byteLevel = charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)
                || charset.equals(StandardCharsets.ISO_8859_1);
    }

    /** Lines of {@code chunks}, in order, with backpressure; a fresh splitter per subscription. */
    public static Flux<String> lines(Flux<ByteBuffer> chunks, String source, Charset charset, int maxLineLength) {
        return Flux.defer(() -> {
            LineSplitter splitter = new LineSplitter(source, charset, maxLineLength);
            return chunks.concatMapIterable(splitter::feed, 2).concatWith(Flux.defer(() -> Flux.fromIterable(splitter.finish())));
        });
    }

    /**
     * The complete lines that {@code chunk} ends; the rest is kept for the next chunk. When a line is malformed
     * or too long, the lines before it are returned and the error is thrown by the next call.
     */
    public List<String> feed(ByteBuffer chunk) {
        throwPending();
        // Sized for lines of about 64 bytes, so that typical chunks never regrow the list.
        List<String> out = new ArrayList<>(Math.max(16, chunk.remaining() / 64));
        try {
            if (byteLevel) {
                feedBytes(chunk, out);
            } else {
                feedDecoded(chunk, false, out);
            }
        } catch (RuntimeException e) {
            if (out.isEmpty()) {
                throw e;
            }
            pending = e;
        }
        return out;
    }

    /** The last line, if the input did not end with a terminator. Call once, at the end of input. */
    public List<String> finish() {
        throwPending();
        if (!byteLevel) {
            List<String> out = new ArrayList<>();
            feedDecoded(ByteBuffer.allocate(0), true, out);
            return out;
        }
        if (carryLength == 0) {
            return List.of();
        }
        String last = decode(carry, 0, carryLength);
        carryLength = 0;
        return List.of(last);
    }

    // ---------------------------------------------------------------- byte level

    private void throwPending() {
        if (pending != null) {
            RuntimeException e = pending;
            pending = null;
            throw e;
        }
    }

    private void feedBytes(ByteBuffer chunk, List<String> out) {
        byte[] bytes;
        int from;
        int to;
        if (chunk.hasArray()) {
            bytes = chunk.array();
            from = chunk.arrayOffset() + chunk.position();
            to = chunk.arrayOffset() + chunk.limit();
        } else {
            bytes = new byte[chunk.remaining()];
            chunk.duplicate().get(bytes);
            from = 0;
            to = bytes.length;
        }
        int i = from;
        if (afterCr) {
            // The previous chunk ended with \r: a \n right here belongs to the same terminator.
            afterCr = false;
            if (i < to && bytes[i] == LF) {
                i++;
            }
        }
        int start = i;
        for (; i < to; i++) {
            byte b = bytes[i];
            if (b == LF || b == CR) {
                out.add(line(bytes, start, i));
                if (b == CR) {
                    if (i + 1 < to) {
                        if (bytes[i + 1] == LF) {
                            i++;
                        }
                    } else {
                        afterCr = true;
                    }
                }
                start = i + 1;
            }
        }
        keep(bytes, start, to);
    }

    /** A complete line made of what was carried over plus {@code bytes[from, to)}. */
    private String line(byte[] bytes, int from, int to) {
        if (carryLength == 0) {
            checkLength(to - from);
            return decode(bytes, from, to - from);
        }
        keep(bytes, from, to);
        String line = decode(carry, 0, carryLength);
        carryLength = 0;
        return line;
    }

    private void keep(byte[] bytes, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return;
        }
        checkLength(carryLength + n);
        if (carryLength + n > carry.length) {
            carry = Arrays.copyOf(carry, Math.max(carryLength + n, Math.min(maxLineLength, 2 * carry.length + 64)));
        }
        System.arraycopy(bytes, from, carry, carryLength, n);
        carryLength += n;
    }

    private String decode(byte[] bytes, int offset, int length) {
        lines++;
        String line = new String(bytes, offset, length, charset);
        // The fast decode replaces malformed input with U+FFFD. That character is rare in real text (and never
        // in Latin-1 strings, where indexOf returns at once): only then decode again strictly to tell a
        // genuine U+FFFD from bad input.
        if (line.indexOf('\uFFFD') >= 0) {
            try {
                charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, offset, length));
            } catch (CharacterCodingException e) {
                throw malformed(e);
            }
        }
        return line;
    }

    // ---------------------------------------------------------------- decoder

    private void feedDecoded(ByteBuffer chunk, boolean endOfInput, List<String> out) {
        if (decoder == null) {
            decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            undecoded = ByteBuffer.allocate(0);
            decoded = CharBuffer.allocate(8192);
            partial = new StringBuilder();
        }
        ByteBuffer in = undecoded.hasRemaining() ? join(undecoded, chunk) : chunk.duplicate();
        for (;;) {
            CoderResult result = decoder.decode(in, decoded, endOfInput);
            split(out);
            if (result.isError()) {
                throw malformed(result);
            }
            if (result.isUnderflow()) {
                break;
            }
        }
        if (endOfInput) {
            for (;;) {
                CoderResult result = decoder.flush(decoded);
                split(out);
                if (result.isUnderflow()) {
                    break;
                }
            }
            if (partial.length() > 0) {
                lines++;
                out.add(partial.toString());
                partial.setLength(0);
            }
        }
        undecoded = in.hasRemaining() ? copyOf(in) : ByteBuffer.allocate(0);
    }

    /** Moves the decoded characters into lines and the partial line. */
    private void split(List<String> out) {
        decoded.flip();
        while (decoded.hasRemaining()) {
            char c = decoded.get();
            if (afterCr) {
                afterCr = false;
                if (c == '\n') {
                    continue;
                }
            }
            if (c == '\n' || c == '\r') {
                lines++;
                out.add(partial.toString());
                partial.setLength(0);
                afterCr = c == '\r';
            } else {
                if (partial.length() >= maxLineLength) {
                    checkLength(partial.length() + 1);
                }
                partial.append(c);
            }
        }
        decoded.clear();
    }

    private static ByteBuffer join(ByteBuffer head, ByteBuffer tail) {
        ByteBuffer both = ByteBuffer.allocate(head.remaining() + tail.remaining());
        both.put(head.duplicate()).put(tail.duplicate()).flip();
        return both;
    }

    private static ByteBuffer copyOf(ByteBuffer in) {
        ByteBuffer copy = ByteBuffer.allocate(in.remaining());
        copy.put(in).flip();
        return copy;
    }

    // ---------------------------------------------------------------- errors

    private void checkLength(long length) {
        if (length > maxLineLength) {
            throw new LimitExceededException(source + ": line " + (lines + 1) + " is longer than " + maxLineLength
                    + (byteLevel ? " bytes" : " characters") + " (maxLineLength)", "maxLineLength", maxLineLength);
        }
    }

    private MalformedTextException malformed(CharacterCodingException cause) {
        return new MalformedTextException(source + ": line " + lines + " is not valid " + charset.name(), cause);
    }

    private MalformedTextException malformed(CoderResult result) {
        try {
            result.throwException();
        } catch (CharacterCodingException e) {
            return new MalformedTextException(source + ": line " + (lines + 1) + " is not valid " + charset.name(), e);
        }
        throw new IllegalStateException("not an error: " + result);
    }
}
