package dev.reactivekit.showcase.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Durations on the command line: {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 3m}, {@code 1h}; a bare number is seconds. */
public final class Durations implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration (examples: 250ms, 2s, 1.5s, 3m)");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1_000;
        };
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    /** {@code 1.2s}, {@code 340ms}: for people. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        return ms >= 10_000 ? String.format(Locale.ROOT, "%.1fs", ms / 1000.0)
                : ms >= 1_000 ? String.format(Locale.ROOT, "%.2fs", ms / 1000.0) : ms + "ms";
    }
}
