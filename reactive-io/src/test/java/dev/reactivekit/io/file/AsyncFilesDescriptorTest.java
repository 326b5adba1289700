package dev.reactivekit.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import dev.reactivekit.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** Cancelled reads and writes close their files: the process's open descriptors do not grow. */
class AsyncFilesDescriptorTest {

    @TempDir
    Path dir;

    private static long openDescriptors() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Closing happens on the offload scheduler just after the cancel; wait for the count to settle. */
    private static long settledDescriptors(long atMost) throws Exception {
        Await.until(() -> openDescriptors() <= atMost);
        return openDescriptors();
    }

    @Test
    void aThousandCancelledReadsLeaveNoDescriptorOpen() throws Exception {
        byte[] bytes = new byte[1 << 20];
        new Random(1).nextBytes(bytes);
        Path file = Files.write(dir.resolve("data.bin"), bytes);
        AsyncFiles files = AsyncFiles.builder().chunkSize(4096).build();
        files.read(file).take(1).blockLast(Duration.ofSeconds(10));   // warm up: pools, classes
        long before = openDescriptors();

        Flux.range(0, 1000)
                .flatMap(i -> files.read(file).take(1 + i % 3), 50)    // cancels after one to three chunks
                .blockLast(Duration.ofMinutes(1));
        Flux.range(0, 200)
                .flatMap(i -> files.lines(file).take(1).onErrorResume(e -> Mono.empty()), 20)
                .blockLast(Duration.ofMinutes(1));

        assertThat(settledDescriptors(before + 5)).isLessThanOrEqualTo(before + 5);
    }

    @Test
    void cancelledWritesLeaveNoDescriptorOpen() throws Exception {
        AsyncFiles files = AsyncFiles.shared();
        long before = openDescriptors();
        Flux.range(0, 300).flatMap(i -> {
            Sinks.Many<ByteBuffer> never = Sinks.many().unicast().onBackpressureBuffer();
            never.tryEmitNext(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            return files.write(dir.resolve("w" + i), never.asFlux()).timeout(Duration.ofMillis(200), Mono.empty());
        }, 50).blockLast(Duration.ofMinutes(1));
        assertThat(settledDescriptors(before + 5)).isLessThanOrEqualTo(before + 5);
    }
}
