package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.reactivekit.core.testing.LogCapture;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

class SchedulingTest {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

    @Test
    void callLaterRunsOnceAfterTheDelay() {
        AtomicInteger runs = new AtomicInteger();
        Scheduling.callLater(Duration.ofSeconds(3), runs::incrementAndGet, clock);
        clock.advanceTimeBy(Duration.ofMillis(2999));
        assertThat(runs).hasValue(0);
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(runs).hasValue(1);
        clock.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(runs).hasValue(1);
    }

    @Test
    void disposingBeforeTheTimeCancelsTheCallback() {
        AtomicInteger runs = new AtomicInteger();
        Disposable handle = Scheduling.callLater(Duration.ofSeconds(1), runs::incrementAndGet, clock);
        handle.dispose();
        clock.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(runs).hasValue(0);
    }

    @Test
    void callAtRunsAtTheGivenInstantOrAtOnceIfPast() {
        AtomicInteger runs = new AtomicInteger();
        Instant now = Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS));
        Scheduling.callAt(now.plusSeconds(10), runs::incrementAndGet, clock);
        Scheduling.callAt(now.minusSeconds(10), runs::incrementAndGet, clock);
        clock.advanceTime();
        assertThat(runs).hasValue(1);
        clock.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(runs).hasValue(2);
    }

    @Test
    void everyRepeatsUntilDisposedAndSurvivesAFailingRunWhichIsLogged() {
        AtomicInteger runs = new AtomicInteger();
        LogCapture log = LogCapture.of(Scheduling.class);
        Disposable ticker = Scheduling.every(Duration.ofSeconds(1), Duration.ofSeconds(5), () -> {
            if (runs.incrementAndGet() == 2) {
                throw new IllegalStateException("second run fails; later runs go on");
            }
        }, clock);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(runs).hasValue(1);
        clock.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(runs).hasValue(3);
        ticker.dispose();
        clock.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(runs).hasValue(3);
        log.close();
        assertThat(log.lines()).singleElement().asString()
                .startsWith("ERROR scheduled callback").endsWith("| second run fails; later runs go on");
    }

    @Test
    void callSoonRunsOnTheScheduler() {
        AtomicInteger runs = new AtomicInteger();
        Scheduling.callSoon(runs::incrementAndGet, clock);
        clock.advanceTime();
        assertThat(runs).hasValue(1);
    }
}
