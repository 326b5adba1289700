package dev.reactivekit.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.io.MalformedTextException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class AsyncFilesLinesTest {

    @TempDir
    Path dir;

    @Test
    void linesDropTheirTerminatorsWhateverTheyAre() throws Exception {
        Path file = Files.writeString(dir.resolve("mixed.txt"), "unix\nwindows\r\nold mac\rlast without newline");
        StepVerifier.create(AsyncFiles.shared().lines(file))
                .expectNext("unix", "windows", "old mac", "last without newline")
                .verifyComplete();
    }

    @Test
    void emptyLinesAreKeptAndAFinalTerminatorAddsNoLine() throws Exception {
        Path file = Files.writeString(dir.resolve("gaps.txt"), "a\n\n\nb\n");
        StepVerifier.create(AsyncFiles.shared().lines(file)).expectNext("a", "", "", "b").verifyComplete();
    }

    @Test
    void multiByteCharactersAndCrLfSplitAtEveryChunkOffsetDecodeCorrectly() throws Exception {
        String text = "ä€𝄞\r\n漢字 and more\r\nend";
        Path file = Files.writeString(dir.resolve("utf8.txt"), text);
        int length = text.getBytes(StandardCharsets.UTF_8).length;
        for (int chunk = 1; chunk <= length; chunk++) {
            AsyncFiles tiny = AsyncFiles.builder().linesChunkSize(chunk).build();
            List<String> lines = tiny.lines(file).collectList().block();
            assertThat(lines).as("chunks of %d bytes", chunk).containsExactly("ä€𝄞", "漢字 and more", "end");
        }
    }

    @Test
    void otherCharsetsAreDecodedToo() throws Exception {
        Path file = Files.writeString(dir.resolve("utf16.txt"), "première\r\nzweite 𝄞\n", StandardCharsets.UTF_16);
        for (int chunk : new int[] {1, 3, 7, 1024}) {
            StepVerifier.create(AsyncFiles.builder().linesChunkSize(chunk).build().lines(file, StandardCharsets.UTF_16))
                    .expectNext("première", "zweite 𝄞")
                    .verifyComplete();
        }
    }

    @Test
    void malformedInputFailsWithTheFileAndLineNamed() throws Exception {
        Path file = Files.write(dir.resolve("bad.txt"), new byte[] {'o', 'k', '\n', (byte) 0xFF, '\n'});
        StepVerifier.create(AsyncFiles.shared().lines(file))
                .expectNext("ok")
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(MalformedTextException.class)
                        .hasMessage(file + ": line 2 is not valid UTF-8"));
    }

    @Test
    void anOverlongLineFailsInsteadOfFillingMemory() throws Exception {
        Path file = Files.writeString(dir.resolve("long.txt"), "short\n" + "x".repeat(5000));
        StepVerifier.create(AsyncFiles.builder().maxLineLength(4096).linesChunkSize(1024).build().lines(file))
                .expectNext("short")
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                        .hasMessage(file + ": line 2 is longer than 4096 bytes (maxLineLength)"));
    }

    @Test
    void takingAFewLinesCancelsTheRest() throws Exception {
        Path file = dir.resolve("many.txt");
        Files.write(file, java.util.stream.IntStream.range(0, 100_000).mapToObj(Integer::toString).toList());
        StepVerifier.create(AsyncFiles.builder().linesChunkSize(4096).build().lines(file).take(3))
                .expectNext("0", "1", "2")
                .verifyComplete();
    }
}
