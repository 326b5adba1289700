package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

class OutcomeTest {

    @Test
    void successExposesItsValueAndNoError() {
        Outcome<String> o = Outcome.success("hi");
        assertThat(o.isSuccess()).isTrue();
        assertThat(o.isFailure()).isFalse();
        assertThat(o.value()).isEqualTo("hi");
        assertThat(o.index()).isEqualTo(-1);
        assertThat(o.input()).isNull();
        assertThatThrownBy(o::error).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void failureExposesItsErrorAndNoValue() {
        IOException boom = new IOException("boom");
        Outcome<String> o = Outcome.failure(boom);
        assertThat(o.isFailure()).isTrue();
        assertThat(o.error()).isSameAs(boom);
        assertThatThrownBy(o::value).isInstanceOf(NoSuchElementException.class).hasMessageContaining("boom");
    }

    @Test
    void failureRequiresAnError() {
        assertThatThrownBy(() -> Outcome.failure(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("`error` must not be null");
    }

    @Test
    void atLabelsWithIndexAndInputAndMapKeepsTheLabel() {
        Outcome<Integer> o = Outcome.success(2).at(3, "http://x");
        Outcome<String> mapped = o.map(i -> "v" + i);
        assertThat(mapped).isEqualTo(new Outcome.Success<>("v2", 3, "http://x"));
        Outcome<Integer> failed = Outcome.<Integer>failure(new IllegalStateException()).at(1, "in");
        assertThat(failed.map(i -> i + 1).index()).isEqualTo(1);
        assertThat(failed.map(i -> i + 1).input()).isEqualTo("in");
    }

    @Test
    void flatMapChainsSuccessesAndPassesFailuresThrough() {
        Outcome<Integer> ok = Outcome.success(2).at(0, "a");
        assertThat(ok.flatMap(i -> Outcome.success(i * 10)).value()).isEqualTo(20);
        assertThat(ok.flatMap(i -> Outcome.<Integer>failure(new IOException("x"))).error()).hasMessage("x");
        assertThat(ok.flatMap(i -> Outcome.success(i)).input()).isEqualTo("a");
        Outcome<Integer> bad = Outcome.failure(new IOException("first"));
        AtomicBoolean called = new AtomicBoolean();
        assertThat(bad.flatMap(i -> {
            called.set(true);
            return Outcome.success(i);
        }).error()).hasMessage("first");
        assertThat(called).isFalse();
    }

    @Test
    void recoverOrElseAndFoldHandleBothCases() {
        Outcome<String> ok = Outcome.success("v");
        Outcome<String> bad = Outcome.failure(new IOException("e"));
        assertThat(bad.recover(Throwable::getMessage)).isEqualTo(Outcome.success("e"));
        assertThat(ok.recover(e -> "other")).isSameAs(ok);
        assertThat(ok.orElse("x")).isEqualTo("v");
        assertThat(bad.orElse("x")).isEqualTo("x");
        assertThat(bad.orElseGet(Throwable::getMessage)).isEqualTo("e");
        assertThat(ok.<Integer>fold(v -> 1, e -> 2)).isEqualTo(1);
        assertThat(bad.<Integer>fold(v -> 1, e -> 2)).isEqualTo(2);
        assertThat(ok.toOptional()).contains("v");
        assertThat(bad.toOptional()).isEmpty();
        assertThat(Outcome.success(null).toOptional()).isEmpty();
    }

    @Test
    void orElseThrowRethrowsUncheckedAsIsAndWrapsChecked() {
        IllegalStateException unchecked = new IllegalStateException("u");
        assertThatThrownBy(() -> Outcome.failure(unchecked).orElseThrow()).isSameAs(unchecked);
        assertThatThrownBy(() -> Outcome.failure(new IOException("c")).orElseThrow())
                .hasCauseInstanceOf(IOException.class);
        assertThat(Outcome.success("v").orElseThrow()).isEqualTo("v");
    }

    @Test
    void toMonoRestoresValueEmptyOrError() {
        StepVerifier.create(Outcome.success("v").toMono()).expectNext("v").verifyComplete();
        StepVerifier.create(Outcome.success(null).toMono()).verifyComplete();
        StepVerifier.create(Outcome.failure(new IOException("e")).toMono()).verifyErrorMessage("e");
    }

    @Test
    void captureTurnsValueEmptyAndErrorIntoOutcomes() {
        StepVerifier.create(Outcome.capture(Mono.just(1))).expectNext(Outcome.success(1)).verifyComplete();
        StepVerifier.create(Outcome.capture(Mono.empty())).expectNext(Outcome.success(null)).verifyComplete();
        StepVerifier.create(Outcome.capture(Mono.error(new IOException("e"))))
                .assertNext(o -> assertThat(o.error()).hasMessage("e"))
                .verifyComplete();
    }

    @Test
    void cancellingCaptureCancelsTheTask() {
        PublisherProbe<Integer> probe = PublisherProbe.of(Mono.never());
        StepVerifier.create(Outcome.capture(probe.mono())).thenCancel().verify();
        probe.assertWasCancelled();
    }
}
