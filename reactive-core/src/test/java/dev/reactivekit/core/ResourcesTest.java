package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.testing.Cancel;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ResourcesTest {

    private final List<Exit> exits = new CopyOnWriteArrayList<>();
    private final AtomicInteger acquired = new AtomicInteger();

    private Mono<String> acquire() {
        return Mono.fromCallable(() -> "resource-" + acquired.incrementAndGet());
    }

    private Mono<Void> release(String resource, Exit exit) {
        return Mono.fromRunnable(() -> exits.add(exit));
    }

    @Test
    void releasesOnceAfterSuccessBeforeTheResultCompletes() {
        StepVerifier.create(Resources.use(acquire(), r -> Mono.just(r + " used"), this::release))
                .assertNext(v -> {
                    assertThat(v).isEqualTo("resource-1 used");
                    assertThat(exits).as("released before the value is delivered").hasSize(1);
                })
                .verifyComplete();
        assertThat(exits).containsExactly(new Exit(Exit.Kind.COMPLETED, null));
    }

    @Test
    void releasesOnceAfterAnErrorAndTellsWhichError() {
        IOException boom = new IOException("boom");
        StepVerifier.create(Resources.use(acquire(), r -> Mono.error(boom), this::release)).verifyErrorMessage("boom");
        assertThat(exits).containsExactly(new Exit(Exit.Kind.FAILED, boom));
    }

    @Test
    void releasesOnceOnCancellation() {
        Cancel.afterStart(Resources.use(acquire(), r -> Mono.never(), this::release));
        assertThat(exits).containsExactly(new Exit(Exit.Kind.CANCELLED, null));
    }

    @Test
    void aFailedAcquisitionReleasesNothing() {
        StepVerifier.create(Resources.use(Mono.<String>error(new IOException("no connection")), r -> Mono.just(1), this::release))
                .verifyErrorMessage("no connection");
        assertThat(exits).isEmpty();
    }

    @Test
    void aReleaseFailureOnSuccessFailsTheResult() {
        StepVerifier.create(Resources.use(acquire(), Mono::just, (r, exit) -> Mono.error(new IOException("close failed"))))
                .verifyErrorSatisfies(e -> assertThat(e).hasRootCauseMessage("close failed"));
    }

    @Test
    void aReleaseFailureAfterABodyFailureReportsBothErrors() {
        StepVerifier.create(Resources.use(acquire(), r -> Mono.error(new IOException("body failed")),
                        (r, exit) -> Mono.error(new IOException("close failed"))))
                .verifyErrorSatisfies(e -> {
                    assertThat(e).hasRootCauseMessage("close failed");
                    assertThat(e.getSuppressed()).extracting(Throwable::getMessage).contains("body failed");
                });
    }

    @Test
    void streamingBodiesReleaseWhenTheStreamEnds() {
        StepVerifier.create(Resources.useMany(acquire(), r -> Flux.just(1, 2, 3), this::release))
                .expectNext(1, 2, 3)
                .verifyComplete();
        assertThat(exits).extracting(Exit::kind).containsExactly(Exit.Kind.COMPLETED);
        Cancel.afterStart(Resources.useMany(acquire(), r -> Flux.never(), this::release));
        assertThat(exits).extracting(Exit::kind).containsExactly(Exit.Kind.COMPLETED, Exit.Kind.CANCELLED);
    }

    @Test
    void asyncCloseablesAreClosedWhateverHappens() {
        AtomicInteger closed = new AtomicInteger();
        AsyncCloseable conn = () -> Mono.fromRunnable(closed::incrementAndGet);
        StepVerifier.create(Resources.use(Mono.just(conn), c -> Mono.just("ok"))).expectNext("ok").verifyComplete();
        StepVerifier.create(Resources.use(Mono.just(conn), c -> Mono.error(new IOException()))).verifyError(IOException.class);
        StepVerifier.create(Resources.useMany(Mono.just(conn), c -> Flux.just(1))).expectNext(1).verifyComplete();
        assertThat(closed).hasValue(3);
    }
}
