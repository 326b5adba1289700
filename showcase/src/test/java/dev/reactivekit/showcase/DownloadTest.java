package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reactivekit.io.http.HttpFetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code download} against a real local httpbin: the bytes on disk, resuming, and bad names and directories. */
class DownloadTest {

    private static Cli.Running httpbin;
    private static String base;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        httpbin = Cli.start("httpbin", "--port", "0");
        base = httpbin.listeningUrl();
    }

    @AfterAll
    static void stop() {
        assertThat(httpbin.stop().exit()).isZero();
    }

    private static byte[] alphabet(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = HttpBinService.rangeByte(i);
        }
        return bytes;
    }

    private List<String> files(Path in) throws IOException {
        try (Stream<Path> s = Files.list(in)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> rangesSent(String path) {
        HttpFetcher http = HttpFetcher.create();
        try {
            Map<String, Object> counter = http.get(base + "/counter").block(Duration.ofSeconds(10))
                    .json(new TypeReference<Map<String, Object>>() { });
            return ((Map<String, List<String>>) counter.get("ranges")).getOrDefault(path, List.of());
        } finally {
            http.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void theFilesOnDiskAreTheBytesServed() throws IOException {
        Cli.Result result = Cli.run("download", base + "/bytes/300000?seed=9", base + "/range/50000",
                "--dir", dir.toString());
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("300000"))).isEqualTo(HttpBinService.seededBytes(300_000, 9));
        assertThat(Files.readAllBytes(dir.resolve("50000"))).isEqualTo(alphabet(50_000));
        assertThat(files(dir)).containsExactly("300000", "50000");
        assertThat(result.out()).contains("file", "bytes", "time", "result").contains("300000  293.0 KiB")
                .contains("2 downloaded, 0 failed");
    }

    @Test
    void anInterruptedDownloadResumesWithOnlyTheMissingRange() throws IOException {
        String url = base + "/range/200000?chunk_size=2000&duration=2";
        Cli.Running first = Cli.start("download", url, "--dir", dir.toString(), "--resume");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (partialSize() < 40_000 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000);
        }
        Cli.Result interrupted = first.interrupt().await(Duration.ofSeconds(20));
        assertThat(interrupted.exit()).isEqualTo(130);
        assertThat(interrupted.out()).contains("1 not done (interrupted; run again with --resume to continue)");
        long kept = partialSize();
        assertThat(kept).isBetween(40_000L, 199_999L);
        assertThat(dir.resolve("200000")).doesNotExist();

        Cli.Result resumed = Cli.run("download", url, "--dir", dir.toString(), "--resume");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("200000"))).isEqualTo(alphabet(200_000));
        assertThat(rangesSent("/range/200000")).containsExactly("bytes=" + kept + "-");
        assertThat(files(dir)).containsExactly("200000");
    }

    private long partialSize() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".part")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void aNameThatWouldEscapeTheDirectoryIsRefusedAndTheOthersStillLand() throws IOException {
        Path inside = Files.createDirectory(dir.resolve("inside"));
        String evil = base + "/response-headers?Content-Disposition=attachment;%20filename=%22../escaped.txt%22";
        Cli.Result result = Cli.run("download", evil, base + "/bytes/10?seed=1", "--dir", inside.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).contains("the server's Content-Disposition names the file '../escaped.txt', "
                + "which is not a plain file name (it has a directory in it): nothing was written")
                .contains("1 downloaded, 1 failed");
        assertThat(files(dir)).containsExactly("inside");
        assertThat(files(inside)).containsExactly("10");
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsOneLineAndNothingIsFetched() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Cli.Result result = Cli.run("download", base + "/bytes/10", "--dir", file.resolve("sub").toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: cannot write into " + file.resolve("sub") + ": not a directory\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void badUsage() {
        Cli.Result malformed = Cli.run("download", "ftp://example.com/x", "--dir", dir.toString());
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.err()).startsWith("error: malformed URL 'ftp://example.com/x'");
        Cli.Result noDir = Cli.run("download", base + "/get");
        assertThat(noDir.exit()).isEqualTo(2);
        assertThat(noDir.err()).contains("Missing required option: '--dir=DIR'");
    }
}
