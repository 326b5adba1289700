package dev.reactivekit.io.file;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Every operation started from one of Reactor's non-blocking threads. BlockHound is installed in the test JVM,
 * so a blocking call on that thread (an open, a stat, a read) would fail these tests.
 */
class AsyncFilesNonBlockingTest {

    @TempDir
    Path dir;

    private final AsyncFiles files = AsyncFiles.shared();

    /** Runs {@code work} from a parallel-scheduler thread, where BlockHound forbids blocking. */
    private static <T> Mono<T> fromParallel(java.util.function.Supplier<Mono<T>> work) {
        return Mono.delay(Duration.ofMillis(1)).flatMap(x -> work.get());
    }

    @Test
    void dataOperationsNeverBlockTheCallingThread() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "one\ntwo\n");
        StepVerifier.create(fromParallel(() -> files.readString(file))).expectNext("one\ntwo\n").verifyComplete();
        StepVerifier.create(fromParallel(() -> files.lines(file).count())).expectNext(2L).verifyComplete();
        StepVerifier.create(fromParallel(() -> files.read(file).count())).expectNext(1L).verifyComplete();
        StepVerifier.create(fromParallel(() -> files.writeString(dir.resolve("b.txt"), "x"))).expectNext(1L).verifyComplete();
        StepVerifier.create(fromParallel(() -> files.appendLine(dir.resolve("c.log"), "x"))).expectNext(2L).verifyComplete();
        StepVerifier.create(fromParallel(() -> files.copy(file, dir.resolve("d.txt")))).expectNext(8L).verifyComplete();
        StepVerifier.create(fromParallel(() -> files.transfer(Mono.just(ByteBuffer.wrap(new byte[3])), dir.resolve("e"))))
                .expectNext(3L).verifyComplete();
    }

    @Test
    void fileSystemOperationsNeverBlockTheCallingThread() {
        Path sub = dir.resolve("sub");
        StepVerifier.create(fromParallel(() -> files.os().createDirectories(sub))).expectNext(sub).verifyComplete();
        StepVerifier.create(fromParallel(() -> files.os().exists(sub))).expectNext(true).verifyComplete();
        StepVerifier.create(fromParallel(() -> files.os().stat(sub).map(FileStat::isDirectory))).expectNext(true).verifyComplete();
        StepVerifier.create(fromParallel(() -> files.os().list(dir).count())).expectNext(1L).verifyComplete();
        StepVerifier.create(fromParallel(() -> files.os().walk(dir, 2).count())).expectNext(2L).verifyComplete();
        StepVerifier.create(fromParallel(() -> files.os().move(sub, dir.resolve("moved")))).expectNextCount(1).verifyComplete();
        StepVerifier.create(fromParallel(() -> files.os().deleteRecursively(dir.resolve("moved")))).expectNext(1L).verifyComplete();
        StepVerifier.create(fromParallel(() -> files.watch(dir).next().timeout(Duration.ofMillis(200), Mono.empty())))
                .verifyComplete();
    }
}
