package dev.reactivekit.core.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits on the test thread, every 10 ms and bounded in time, for a condition that may itself call a server and
 * block (which {@code Await} cannot do: it polls on a non-blocking scheduler).
 */
public final class Poll {

    private Poll() {
    }

    /** Whether {@code condition} held within {@code timeout}; the caller asserts on it. */
    public static boolean until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /** {@link #until(BooleanSupplier, Duration)} within 10 seconds. */
    public static boolean until(BooleanSupplier condition) {
        return until(condition, Duration.ofSeconds(10));
    }
}
