package dev.reactivekit.io.file;

import static dev.reactivekit.io.testing.FileErrorAssert.assertFileError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.LimitExceededException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class AsyncFilesReadTest {

    @TempDir
    Path dir;

    private final AsyncFiles files = AsyncFiles.builder().chunkSize(1000).build();

    private Path randomFile(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readStreamsTheWholeFileInChunksOfTheConfiguredSize() throws Exception {
        Path file = randomFile("data.bin", 10_500);
        StepVerifier.create(files.read(file).map(ByteBuffer::remaining))
                .expectNext(1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 500)
                .verifyComplete();
        byte[] joined = files.read(file)
                .reduce(ByteBuffer.allocate(10_500), (all, chunk) -> all.put(chunk))
                .map(ByteBuffer::array).block(Duration.ofSeconds(10));
        assertThat(joined).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void readsOnlyWhatTheSubscriberRequests() throws Exception {
        Path file = randomFile("big.bin", 100_000);
        StepVerifier.create(files.read(file), 2)
                .expectNextCount(2)
                .expectNoEvent(Duration.ofMillis(100))   // no third chunk arrives unrequested
                .thenRequest(1)
                .expectNextCount(1)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void anEmptyFileIsAnEmptyStream() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty"));
        StepVerifier.create(files.read(empty)).verifyComplete();
        StepVerifier.create(files.readString(empty)).expectNext("").verifyComplete();
    }

    @Test
    void aMissingFileFailsAsNotFoundNamingIt() {
        Path missing = dir.resolve("missing.txt");
        Mono<String> pipeline = files.readString(missing);   // building the pipeline does not throw
        StepVerifier.create(pipeline)
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.NOT_FOUND, missing, NoSuchFileException.class));
        StepVerifier.create(files.read(missing))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.NOT_FOUND, missing, NoSuchFileException.class));
        StepVerifier.create(files.lines(missing))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.NOT_FOUND, missing, NoSuchFileException.class));
    }

    @Test
    void aDirectoryWhereAFileIsExpectedIsRefusedWithItsPath() {
        StepVerifier.create(files.read(dir))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.IS_A_DIRECTORY, dir, FileSystemException.class));
    }

    @Test
    void readStringAndReadAllBytesLoadSmallFiles() throws Exception {
        Path file = Files.writeString(dir.resolve("data.txt"), "Hello async file! ünïcödé");
        StepVerifier.create(files.readString(file)).expectNext("Hello async file! ünïcödé").verifyComplete();
        StepVerifier.create(files.readString(file, StandardCharsets.ISO_8859_1).map(String::length))
                .expectNext("Hello async file! ünïcödé".getBytes(StandardCharsets.UTF_8).length)
                .verifyComplete();
        byte[] expected = Files.readAllBytes(file);
        StepVerifier.create(files.readAllBytes(file))
                .assertNext(bytes -> assertThat(bytes).isEqualTo(expected))
                .verifyComplete();
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedBeforeReading() throws Exception {
        Path file = randomFile("large.bin", 5000);
        AsyncFiles small = AsyncFiles.builder().maxReadBytes(4096).build();
        StepVerifier.create(small.readAllBytes(file))
                .verifyErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(LimitExceededException.class)
                            .hasMessage(file + " is 5000 bytes, over the limit of 4096 bytes (maxBytes)");
                    assertThat(((LimitExceededException) e).limit()).isEqualTo(4096);
                });
        StepVerifier.create(files.readAllBytes(file, 5000)).expectNextCount(1).verifyComplete();
    }
}
