package dev.reactivekit.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams a file of over 200 MB and checks the counts against the JDK's own, independent reading. */
class AsyncFilesLargeFileTest {

    private static final long TARGET_BYTES = 210L * 1024 * 1024;

    @TempDir
    static Path dir;

    static Path big;

    @BeforeAll
    static void generate() throws Exception {
        big = dir.resolve("large.txt");
        String[] words = {"alpha", "βeta", "γάμμα", "delta", "€uro", "漢字", "emoji 𝄞", "plain"};
        long written = 0;
        int n = 0;
        try (BufferedWriter out = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            while (written < TARGET_BYTES) {
                String line = n + " " + words[n % words.length] + " " + "x".repeat(n % 120);
                out.write(line);
                out.write(n % 7 == 0 ? "\r\n" : "\n");
                written += line.getBytes(StandardCharsets.UTF_8).length + (n % 7 == 0 ? 2 : 1);
                n++;
            }
        }
    }

    @Test
    void lineCountMatchesTheJdk() throws Exception {
        long expected;
        try (Stream<String> lines = Files.lines(big)) {
            expected = lines.count();
        }
        Long counted = AsyncFiles.shared().lines(big).count().block(Duration.ofMinutes(2));
        assertThat(Files.size(big)).isGreaterThanOrEqualTo(200L * 1024 * 1024);
        assertThat(counted).isEqualTo(expected);
    }

    @Test
    void lineContentMatchesTheJdkAtSampledPositions() throws Exception {
        java.util.List<String> first;
        try (Stream<String> lines = Files.lines(big)) {
            first = lines.limit(50_000).toList();
        }
        assertThat(AsyncFiles.shared().lines(big).take(50_000).collectList().block(Duration.ofMinutes(1)))
                .isEqualTo(first);
        String last;
        try (Stream<String> lines = Files.lines(big)) {
            last = lines.reduce((a, b) -> b).orElseThrow();
        }
        assertThat(AsyncFiles.shared().lines(big).last().block(Duration.ofMinutes(2))).isEqualTo(last);
    }

    @Test
    void byteCountMatchesTheFileSize() throws Exception {
        Long bytes = AsyncFiles.shared().read(big).map(ByteBuffer::remaining).reduce(0L, (a, b) -> a + b)
                .block(Duration.ofMinutes(2));
        assertThat(bytes).isEqualTo(Files.size(big));
    }
}
