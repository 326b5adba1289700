package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class DiagnosticsTest {

    @Test
    void detectBlockingCallsIsIdempotentAndDetectionIsActive() {
        // The test JVM already has BlockHound installed by its JUnit integration; installing again is harmless.
        assertThatCode(Diagnostics::detectBlockingCalls).doesNotThrowAnyException();
        StepVerifier.create(Mono.delay(Duration.ofMillis(1)).doOnNext(x -> {
                    try {
                        new CountDownLatch(1).await(1, TimeUnit.MILLISECONDS);   // parks the parallel thread
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }))
                .verifyError(BlockingOperationError.class);
    }
}
