package dev.reactivekit.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.DeadlineExceededException;
import dev.reactivekit.core.testing.Await;
import dev.reactivekit.core.testing.Deadlines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** A caller's deadline caps file transfers: at the deadline they stop, close their file and leave no partial one. */
class AsyncFilesDeadlineTest {

    @TempDir
    Path dir;

    private final AsyncFiles files = AsyncFiles.shared();

    @Test
    void aTransferStillRunningAtTheDeadlineStopsAndLeavesNoFile() throws IOException {
        Path target = dir.resolve("slow.bin");
        Flux<ByteBuffer> trickle = Flux.interval(Duration.ofMillis(50)).map(i -> ByteBuffer.wrap(new byte[100]));
        StepVerifier.create(Deadline.within(files.transfer(trickle, target), Duration.ofMillis(300), "import"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(DeadlineExceededException.class)
                        .hasMessage("import exceeded its deadline of 300ms"));
        assertThat(Await.until(() -> leftovers() == 0)).as("no file at the target, no temporary file").isTrue();
        assertThat(target).doesNotExist();
    }

    @Test
    void aDeadlineThatHasPassedFailsBeforeTheFileIsTouched() {
        Path target = dir.resolve("never.txt");
        StepVerifier.create(files.writeString(target, "x").contextWrite(Deadlines.passed("save")))
                .verifyErrorMessage("save exceeded its deadline of 1ms");
        assertThat(target).doesNotExist();
        StepVerifier.create(files.read(target).contextWrite(Deadlines.passed("load")))
                .verifyError(DeadlineExceededException.class);
    }

    private long leftovers() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        }
    }
}
