package dev.reactivekit.io.file;

import static dev.reactivekit.io.testing.FileErrorAssert.assertFileError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import dev.reactivekit.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class AsyncFilesWriteTest {

    @TempDir
    Path dir;

    private final AsyncFiles files = AsyncFiles.shared();

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writeReplacesTheContentAndCountsTheBytes() throws Exception {
        Path file = Files.writeString(dir.resolve("out.txt"), "old content that is longer");
        StepVerifier.create(files.write(file, Flux.just(utf8("Hello "), utf8("async "), utf8("file!"))))
                .expectNext(17L)
                .verifyComplete();
        assertThat(Files.readString(file)).isEqualTo("Hello async file!");
    }

    @Test
    void writeStringAndFsync() throws Exception {
        Path file = dir.resolve("s.txt");
        StepVerifier.create(files.writeString(file, "durable", StandardCharsets.UTF_8, WriteOptions.truncate().withFsync()))
                .expectNext(7L)
                .verifyComplete();
        assertThat(Files.readString(file)).isEqualTo("durable");
    }

    @Test
    void largeStreamsAreWrittenCompletelyAndInOrder() throws Exception {
        Path file = dir.resolve("big.bin");
        Flux<ByteBuffer> chunks = Flux.range(0, 2000).map(i -> {
            ByteBuffer b = ByteBuffer.allocate(1024);
            while (b.hasRemaining()) {
                b.putInt(i);
            }
            return b.flip();
        });
        StepVerifier.create(files.write(file, chunks)).expectNext(2000L * 1024).verifyComplete();
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
        for (int i = 0; i < 2000; i++) {
            assertThat(all.getInt(i * 1024)).isEqualTo(i);
        }
    }

    @Test
    void createNewRefusesAnExistingFile() throws Exception {
        Path file = Files.writeString(dir.resolve("exists.txt"), "keep me");
        StepVerifier.create(files.write(file, Mono.just(utf8("x")), WriteOptions.createNew()))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.ALREADY_EXISTS, file, FileAlreadyExistsException.class));
        assertThat(Files.readString(file)).isEqualTo("keep me");
    }

    @Test
    void appendAddsAtTheEnd() throws Exception {
        Path file = Files.writeString(dir.resolve("log.txt"), "first\n");
        StepVerifier.create(files.write(file, Mono.just(utf8("second\n")), WriteOptions.append())).expectNext(7L).verifyComplete();
        StepVerifier.create(files.appendLine(file, "New log entry")).expectNext(14L).verifyComplete();
        assertThat(Files.readAllLines(file)).containsExactly("first", "second", "New log entry");
    }

    @Test
    void concurrentAppendersNeverInterleaveWithinALine() throws Exception {
        Path file = dir.resolve("shared.log");
        int writers = 8;
        int linesEach = 300;
        Flux<Long> all = Flux.range(0, writers).flatMap(w -> Flux.range(0, linesEach)
                .concatMap(i -> files.appendLine(file, "writer-" + w + " line-" + i + " " + "x".repeat(200)))
                .subscribeOn(Schedulers.parallel()), writers);
        StepVerifier.create(all.count()).expectNext((long) writers * linesEach).verifyComplete();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(writers * linesEach);
        assertThat(lines).allMatch(l -> l.matches("writer-\\d line-\\d+ x{200}"));
        Set<String> distinct = lines.stream().map(l -> l.substring(0, l.indexOf(' ', 9))).collect(Collectors.toSet());
        assertThat(distinct).hasSize(writers * linesEach);
    }

    @Test
    void writeErrorsNameThePath() {
        Path noParent = dir.resolve("missing-dir").resolve("file.txt");
        StepVerifier.create(files.writeString(noParent, "x"))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.NOT_FOUND, noParent, NoSuchFileException.class));
        StepVerifier.create(files.writeString(dir, "x"))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.IS_A_DIRECTORY, dir, FileSystemException.class));
        StepVerifier.create(files.appendLine(dir, "x"))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.IS_A_DIRECTORY, dir, FileSystemException.class));
    }

    @Test
    void anUpstreamErrorEndsTheWriteAndKeepsWhatWasWritten() throws Exception {
        Path file = dir.resolve("partial.txt");
        StepVerifier.create(files.write(file, Flux.just(utf8("kept")).concatWith(Flux.error(new IOException("source broke")))))
                .verifyErrorMessage("source broke");
        assertThat(Files.readString(file)).isEqualTo("kept");
    }

    @Test
    void aBufferIsRequestedOnlyWhenThePreviousOneIsWritten() throws Exception {
        Path file = dir.resolve("paced.txt");
        List<Long> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        Flux<ByteBuffer> source = Flux.range(0, 50).map(i -> utf8(i + ",")).doOnRequest(requests::add);
        StepVerifier.create(files.write(file, source)).expectNextCount(1).verifyComplete();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(50).containsOnly(1L);
        assertThat(Files.readString(file)).startsWith("0,1,2,").endsWith("48,49,");
    }

    @Test
    void cancellingAWriteCancelsTheSourceAndKeepsWhatWasWritten() throws Exception {
        Path file = dir.resolve("cancelled.txt");
        reactor.core.publisher.Sinks.Many<ByteBuffer> source = reactor.core.publisher.Sinks.many().unicast().onBackpressureBuffer();
        java.util.concurrent.atomic.AtomicBoolean sourceCancelled = new java.util.concurrent.atomic.AtomicBoolean();
        source.tryEmitNext(utf8("some"));
        StepVerifier.create(files.write(file, source.asFlux().doOnCancel(() -> sourceCancelled.set(true))))
                .expectSubscription()
                .then(() -> Await.until(() -> Files.exists(file) && Files.readString(file).equals("some")))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(sourceCancelled).isTrue();
        assertThat(Files.readString(file)).isEqualTo("some");
    }

    @Test
    void eachAppendIsOneLine() throws Exception {
        Path file = dir.resolve("n.log");
        Flux.fromIterable(IntStream.range(0, 50).boxed().toList())
                .concatMap(i -> files.appendLine(file, "line " + i)).blockLast(Duration.ofSeconds(10));
        assertThat(Files.readAllLines(file)).hasSize(50).startsWith("line 0").endsWith("line 49");
    }
}
