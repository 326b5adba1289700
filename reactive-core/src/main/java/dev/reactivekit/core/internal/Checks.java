package dev.reactivekit.core.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Argument validation with one message format: {@code `name` must be > 0: -1}.
 * <p>Internal: no compatibility guarantees.
 */
public final class Checks {

    private Checks() {
    }

    public static <T> T notNull(T value, String name) {
        return Objects.requireNonNull(value, () -> "`" + name + "` must not be null");
    }

    public static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException("`" + name + "` must be > 0: " + value);
        }
        return value;
    }

    public static long positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException("`" + name + "` must be > 0: " + value);
        }
        return value;
    }

    public static int notNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException("`" + name + "` must be >= 0: " + value);
        }
        return value;
    }

    public static Duration positive(Duration value, String name) {
        notNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("`" + name + "` must be > 0: " + value);
        }
        return value;
    }

    public static Duration notNegative(Duration value, String name) {
        notNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException("`" + name + "` must be >= 0: " + value);
        }
        return value;
    }

    public static int between(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("`" + name + "` must be in [" + min + ", " + max + "]: " + value);
        }
        return value;
    }

    public static double between(double value, double min, double max, String name) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException("`" + name + "` must be in [" + min + ", " + max + "]: " + value);
        }
        return value;
    }

    public static void isTrue(boolean condition, Supplier<String> message) {
        if (!condition) {
            throw new IllegalArgumentException(message.get());
        }
    }
}
