package dev.reactivekit.io.file;

import static dev.reactivekit.io.testing.FileErrorAssert.assertFileError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import dev.reactivekit.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class AsyncFilesWatchTest {

    @TempDir
    Path dir;

    private final AsyncFiles files = AsyncFiles.shared();

    @Test
    void createModifyAndDeleteAreReported() {
        Path file = dir.resolve("watched.txt");
        StepVerifier.create(files.watch(dir).filter(e -> e.path().equals(file)).map(FileEvent::kind).distinctUntilChanged())
                .expectSubscription()
                .then(() -> awaitWatching())
                .then(() -> write(file, "one"))
                .expectNext(FileEvent.Kind.CREATED)
                .then(() -> write(file, "two"))
                .expectNext(FileEvent.Kind.MODIFIED)
                .then(() -> delete(file))
                .expectNext(FileEvent.Kind.DELETED)
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void cancellingStopsTheWatcherThread() {
        StepVerifier.create(files.watch(dir))
                .expectSubscription()
                .then(() -> awaitWatching())
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertThat(Await.until(() -> watcherThreads() == 0)).as("the watcher thread ended").isTrue();
    }

    @Test
    void watchingAMissingDirectoryFails() {
        Path missing = dir.resolve("missing");
        StepVerifier.create(files.watch(missing))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.NOT_FOUND, missing, NoSuchFileException.class));
    }

    @Test
    void aSubscriberTooFarBehindGetsWhatWasBufferedThenALimitError() {
        AsyncFiles small = AsyncFiles.builder().maxBufferedEvents(4).build();
        StepVerifier.create(small.watch(dir), 0)
                .expectSubscription()
                .then(() -> awaitWatching())
                .then(() -> {
                    for (int i = 0; i < 20; i++) {
                        write(dir.resolve("f" + i), "x");
                    }
                })
                .then(() -> Await.until(() -> false, Duration.ofMillis(300)))   // let the events arrive
                .thenRequest(100)
                .expectNextCount(4)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.LimitExceededException.class)
                        .hasMessage("watch of " + dir + ": the subscriber fell more than 4 events behind (maxBufferedEvents)"))
                .verify(Duration.ofSeconds(10));
    }

    /** The watcher thread starts after subscription; wait for it so that no early event is missed. */
    private static void awaitWatching() {
        Await.until(() -> watcherThreads() > 0);
    }

    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("reactivekit-watch-") && t.isAlive()).count();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
