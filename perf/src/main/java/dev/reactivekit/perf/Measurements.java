package dev.reactivekit.perf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Named series of throughput samples; prints medians and ratios to a baseline as a table. */
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
        List<Double> values = new ArrayList<>(samples.get(name));
        values.sort(Double::compare);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
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
        ratios.sort(Double::compare);
        int n = ratios.size();
        return n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
    }

    /**
     * A table of median, min and max per series, with each median's ratio to {@code baseline}'s median ("vs base")
     * and the median of the round-by-round ratios ("paired").
     */
    public String table(String unit, String baseline, List<String> names) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-36s %12s %12s %12s %10s %12s%n",
                "case", "median " + unit, "min", "max", "vs base", "paired"));
        double base = median(baseline);
        for (String name : names) {
            double min = min(name);
            double max = max(name);
            String number = base < 100 ? "%12.3f" : "%12.0f";
            out.append(String.format(Locale.ROOT, "%-36s " + number + " " + number + " " + number + " %9.2fx %11.2fx%n",
                    name, median(name), min, max, median(name) / base, pairedRatio(name, baseline)));
        }
        return out.toString();
    }
}
