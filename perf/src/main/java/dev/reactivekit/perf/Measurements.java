package dev.reactivekit.perf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Named series of samples, one per round, made into the {@link Report.Case} of a scenario. */
public final class Measurements {

    private final Map<String, List<Double>> samples = new LinkedHashMap<>();

    /** One measured run: its throughput or time. */
    @FunctionalInterface
    public interface Run {
        double run() throws Exception;
    }

    /**
     * Runs {@code a} and {@code b} {@code rounds} times each, alternating which goes first (AB, BA, ...), and
     * records every result under its name, so that round {@code i} of both can be paired.
     */
    public void interleave(int rounds, String aName, Run a, String bName, Run b) throws Exception {
        for (int round = 0; round < rounds; round++) {
            if (round % 2 == 0) {
                add(aName, a.run());
                add(bName, b.run());
            } else {
                add(bName, b.run());
                add(aName, a.run());
            }
        }
    }

    /**
     * Runs every entry of {@code runs} {@code rounds} times, in the given order in even rounds and reversed in odd
     * ones, recording each result under its name.
     */
    public void interleave(int rounds, java.util.LinkedHashMap<String, Run> runs) throws Exception {
        List<Map.Entry<String, Run>> order = new ArrayList<>(runs.entrySet());
        for (int round = 0; round < rounds; round++) {
            List<Map.Entry<String, Run>> now = new ArrayList<>(order);
            if (round % 2 == 1) {
                java.util.Collections.reverse(now);
            }
            for (Map.Entry<String, Run> run : now) {
                add(run.getKey(), run.getValue().run());
            }
        }
    }

    /** How long {@code work} takes, in seconds. */
    public static double seconds(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    public void add(String name, double value) {
        samples.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    public double min(String name) {
        return samples.get(name).stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    public double max(String name) {
        return samples.get(name).stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    public double median(String name) {
        return median(samples(name));
    }

    /**
     * The median over rounds of {@code name}'s sample divided by {@code baseline}'s sample of the same round: pairs
     * taken side by side cancel the drift of a noisy machine better than a ratio of two medians.
     */
    public double pairedRatio(String name, String baseline) {
        List<Double> a = samples.get(name);
        List<Double> b = samples.get(baseline);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            ratios.add(a.get(i) / b.get(i));
        }
        return median(ratios);
    }

    /** The samples of {@code name}, in the order of the rounds. */
    public List<Double> samples(String name) {
        List<Double> values = samples.get(name);
        if (values == null) {
            throw new IllegalArgumentException("nothing measured as " + name);
        }
        return List.copyOf(values);
    }

    /**
     * The case {@code title} of {@code scenario}, made of the series {@code names} ({@code ours} one of them, or
     * null when each is compared with its ideal only), each with its ideal from {@code ideals} when there.
     */
    public Report.Case toCase(String scenario, String title, String unit, boolean higherIsBetter, String ours,
            List<String> names, Map<String, Double> ideals, List<String> notes) {
        List<Report.Series> series = new ArrayList<>();
        for (String name : names) {
            series.add(new Report.Series(name, samples(name), ideals.get(name)));
        }
        return new Report.Case(scenario, title, unit, higherIsBetter, ours, List.copyOf(series), List.copyOf(notes));
    }

    /** The case of throughput series {@code names}, {@code ours} the first. */
    public Report.Case toCase(String scenario, String title, String unit, List<String> names) {
        return toCase(scenario, title, unit, true, names.get(0), names, Map.of(), List.of());
    }

    /** The median of {@code values} (NaN when there are none). */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
