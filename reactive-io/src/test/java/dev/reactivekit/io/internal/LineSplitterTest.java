package dev.reactivekit.io.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.io.MalformedTextException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The splitter against the JDK's own reader, on random text cut at random places. */
class LineSplitterTest {

    private static final String[] PIECES = {"a", "bc", "é", "€", "𝄞", "漢字", " ", "\n", "\r\n", "\r", "\n\n", "\uFFFD", "x"};

    private static List<String> jdkLines(String text) throws IOException {
        return new BufferedReader(new StringReader(text)).lines().collect(Collectors.toList());
    }

    private static List<String> split(byte[] bytes, Charset charset, Random random, int maxChunk) {
        LineSplitter splitter = new LineSplitter("test", charset, 1 << 20);
        List<String> lines = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(maxChunk));
            lines.addAll(splitter.feed(ByteBuffer.wrap(bytes, at, n).slice()));
            at += n;
        }
        lines.addAll(splitter.finish());
        return lines;
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "UTF-16", "UTF-16LE", "ISO-8859-1"})
    void matchesBufferedReaderOnRandomTextCutAtRandomPlaces(String charsetName) throws IOException {
        Charset charset = Charset.forName(charsetName);
        Random random = new Random(charsetName.hashCode());
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            int pieces = random.nextInt(40);
            for (int i = 0; i < pieces; i++) {
                String piece = PIECES[random.nextInt(PIECES.length)];
                if (charset.newEncoder().canEncode(piece)) {
                    text.append(piece);
                }
            }
            byte[] bytes = text.toString().getBytes(charset);
            assertThat(split(bytes, charset, random, 1 + random.nextInt(9)))
                    .as("round %d: %s", round, text)
                    .isEqualTo(jdkLines(text.toString()));
        }
    }

    @Test
    void aMultiByteCharacterSplitAtEveryOffsetDecodesCorrectly() {
        String text = "héllo €uro 𝄞 clef\r\nsecond line 漢字\nthird";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            LineSplitter splitter = new LineSplitter("test", StandardCharsets.UTF_8, 1024);
            List<String> lines = new ArrayList<>(splitter.feed(ByteBuffer.wrap(bytes, 0, cut).slice()));
            lines.addAll(splitter.feed(ByteBuffer.wrap(bytes, cut, bytes.length - cut).slice()));
            lines.addAll(splitter.finish());
            assertThat(lines).as("cut at byte %d", cut)
                    .containsExactly("héllo €uro 𝄞 clef", "second line 漢字", "third");
        }
    }

    @Test
    void malformedUtf8IsAnErrorNamingSourceAndLine() {
        LineSplitter splitter = new LineSplitter("/data/in.txt", StandardCharsets.UTF_8, 1024);
        byte[] bad = {'o', 'k', '\n', 'b', (byte) 0xC3, 'x', '\n'};
        assertThat(splitter.feed(ByteBuffer.wrap(bad))).as("the good line comes first").containsExactly("ok");
        assertThatThrownBy(splitter::finish)
                .isInstanceOf(MalformedTextException.class)
                .hasMessage("/data/in.txt: line 2 is not valid UTF-8")
                .hasCauseInstanceOf(java.nio.charset.MalformedInputException.class);
    }

    @Test
    void aGenuineReplacementCharacterIsNotMistakenForMalformedInput() {
        LineSplitter splitter = new LineSplitter("t", StandardCharsets.UTF_8, 1024);
        assertThat(splitter.feed(ByteBuffer.wrap("a\uFFFDb\n".getBytes(StandardCharsets.UTF_8)))).containsExactly("a\uFFFDb");
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedEvenAcrossChunks() {
        LineSplitter splitter = new LineSplitter("big.txt", StandardCharsets.UTF_8, 8);
        assertThat(splitter.feed(ByteBuffer.wrap("12345678\n1234".getBytes()))).containsExactly("12345678");
        assertThatThrownBy(() -> splitter.feed(ByteBuffer.wrap("56789".getBytes())))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("big.txt: line 2 is longer than 8 bytes (maxLineLength)");
        LineSplitter utf16 = new LineSplitter("wide.txt", StandardCharsets.UTF_16LE, 4);
        assertThatThrownBy(() -> utf16.feed(ByteBuffer.wrap("abcde".getBytes(StandardCharsets.UTF_16LE))))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("wide.txt: line 1 is longer than 4 characters (maxLineLength)");
    }

    @Test
    void malformedUtf16IsReported() {
        LineSplitter splitter = new LineSplitter("w", StandardCharsets.UTF_16LE, 64);
        byte[] loneSurrogate = {0x00, (byte) 0xD8, 'a', 0x00};
        assertThatThrownBy(() -> {
            splitter.feed(ByteBuffer.wrap(loneSurrogate));
            splitter.finish();
        }).isInstanceOf(MalformedTextException.class);
    }
}
