package dev.reactivekit.io.file;

import static dev.reactivekit.io.testing.FileErrorAssert.assertFileError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import dev.reactivekit.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.core.publisher.Sinks;

class AsyncFilesCopyTest {

    @TempDir
    Path dir;

    private final AsyncFiles files = AsyncFiles.shared();

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private Path randomFile(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    private long leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".part-")).count();
        }
    }

    @Test
    void copyIsByteForByteIdentical() throws Exception {
        Path source = randomFile("source.bin", 20 * 1024 * 1024 + 7);
        Path target = dir.resolve("target.bin");
        StepVerifier.create(files.copy(source, target)).expectNext(Files.size(source)).verifyComplete();
        assertThat(sha256(target)).isEqualTo(sha256(source));
        assertThat(leftovers()).isZero();
    }

    @Test
    void anExistingTargetIsKeptUnlessReplacingIsAsked() throws Exception {
        Path source = Files.writeString(dir.resolve("a.txt"), "new");
        Path target = Files.writeString(dir.resolve("b.txt"), "old");
        StepVerifier.create(files.copy(source, target))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.ALREADY_EXISTS, target, FileAlreadyExistsException.class));
        assertThat(Files.readString(target)).isEqualTo("old");
        StepVerifier.create(files.copy(source, target, StandardCopyOption.REPLACE_EXISTING)).expectNext(3L).verifyComplete();
        assertThat(Files.readString(target)).isEqualTo("new");
    }

    @Test
    void copyErrorsNameThePath() {
        Path missing = dir.resolve("nope");
        StepVerifier.create(files.copy(missing, dir.resolve("t")))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.NOT_FOUND, missing, NoSuchFileException.class));
        StepVerifier.create(files.copy(dir, dir.resolve("t")))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.IS_A_DIRECTORY, dir, FileSystemException.class));
    }

    @Test
    void aCancelledCopyLeavesNeitherTargetNorTemporaryFile() throws Exception {
        Path source = dir.resolve("huge.bin");
        try (var sparse = new java.io.RandomAccessFile(source.toFile(), "rw")) {
            sparse.setLength(1L << 30);   // 1 GiB of holes: instant to create, slow enough to copy
        }
        Path target = dir.resolve("never.bin");
        StepVerifier.create(files.copy(source, target))
                .expectSubscription()
                .then(() -> awaitLeftovers(true))    // the copy has started
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        awaitLeftovers(false);                       // the copy thread notices between slices or by interrupt
        assertThat(target).doesNotExist();
        assertThat(leftovers()).isZero();
    }

    @Test
    void transferStreamsABodyIntoPlaceOnlyOnSuccess() throws Exception {
        Path target = dir.resolve("download.bin");
        StepVerifier.create(files.transfer(Flux.range(0, 100).map(i -> ByteBuffer.wrap(new byte[1000])), target))
                .expectNext(100_000L)
                .verifyComplete();
        assertThat(target).hasSize(100_000);
        assertThat(leftovers()).isZero();
    }

    @Test
    void aFailedTransferLeavesTheOldTargetAndNoTemporaryFile() throws Exception {
        Path target = Files.writeString(dir.resolve("current.txt"), "previous version");
        Flux<ByteBuffer> broken = Flux.just(ByteBuffer.wrap("half of the".getBytes()))
                .concatWith(Flux.error(new IOException("connection reset")));
        StepVerifier.create(files.transfer(broken, target)).verifyErrorMessage("connection reset");
        assertThat(Files.readString(target)).isEqualTo("previous version");
        assertThat(leftovers()).isZero();
    }

    @Test
    void aCancelledTransferLeavesNoFile() throws Exception {
        Path target = dir.resolve("cancelled.bin");
        Sinks.Many<ByteBuffer> body = Sinks.many().unicast().onBackpressureBuffer();
        body.tryEmitNext(ByteBuffer.wrap(new byte[10]));
        StepVerifier.create(files.transfer(body.asFlux(), target))
                .expectSubscription()
                .then(() -> awaitLeftovers(true))    // the temporary file exists and has been written to
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        awaitLeftovers(false);
        assertThat(target).doesNotExist();
        assertThat(leftovers()).isZero();
    }

    private void awaitLeftovers(boolean present) {
        Await.until(() -> (leftovers() > 0) == present);
    }
}
