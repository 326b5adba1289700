package dev.reactivekit.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * What one run of the harness measured: every case of every scenario that ran, with all its samples, written to a
 * results directory as raw JSON lines ({@code results.jsonl}), a Markdown report ({@code results.md}) and PNG
 * charts ({@code charts/}, drawn by {@link Charts}). Never edited by hand: the figures are the measured ones.
 */
public final class Report {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One measured series of a case: ours or a baseline, one sample per round. */
    public record Series(String name, List<Double> samples, Double ideal) {

        public double median() {
            return Measurements.median(samples);
        }

        public double min() {
            return samples.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        public double max() {
            return samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    /**
     * One case of a scenario ({@code echo} at 100 connections): its series, which of them is ours (null when every
     * series is ours and compared with its ideal only, as the seed's experiment is), the unit, and whether more
     * is better (throughput) or less (times).
     */
    public record Case(String scenario, String title, String unit, boolean higherIsBetter, String ours,
            List<Series> series, List<String> notes) {

        public Series series(String name) {
            return series.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no series " + name + " in " + title));
        }

        /** The series that are not ours: what ours is compared with. */
        public List<Series> baselines() {
            return ours == null ? List.of() : series.stream().filter(s -> !s.name().equals(ours)).toList();
        }

        /**
         * How many times {@code baseline}'s speed ours has, round by round (1.00 equal, above 1 ours is faster):
         * ours / baseline for a throughput, baseline / ours for a time. Rounds are paired side by side, which
         * cancels the drift of a noisy machine better than a ratio of two medians.
         */
        public List<Double> speedups(String baseline) {
            List<Double> a = series(ours).samples();
            List<Double> b = series(baseline).samples();
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                ratios.add(higherIsBetter ? a.get(i) / b.get(i) : b.get(i) / a.get(i));
            }
            return ratios;
        }

        public double speedup(String baseline) {
            return Measurements.median(speedups(baseline));
        }
    }

    private final List<Case> cases = new ArrayList<>();
    private final String command;
    private final ZonedDateTime started = ZonedDateTime.now();

    /** A report of the run of {@code command} (as a person would type it, to reproduce the run). */
    public Report(String command) {
        this.command = command;
    }

    public synchronized void add(Case measured) {
        cases.add(measured);
    }

    public synchronized List<Case> cases() {
        return List.copyOf(cases);
    }

    public String command() {
        return command;
    }

    /** Where the results of a run labelled {@code label} go by default: {@code perf/results/<date>/<label>}. */
    public static Path defaultDirectory(String label) {
        String home = System.getProperty("reactivekit.perf.home");
        Path perf = home != null ? Path.of(home) : Files.isDirectory(Path.of("perf")) ? Path.of("perf") : Path.of(".");
        return perf.resolve("results").resolve(LocalDate.now().toString()).resolve(label);
    }

    /** Writes results.jsonl, results.md and charts/ into {@code dir} (created; files of an earlier run replaced). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("charts"));
        List<Case> all = cases();
        StringBuilder lines = new StringBuilder();
        for (Case c : all) {
            for (Series s : c.series()) {
                lines.append(JSON.writeValueAsString(record(c, s))).append('\n');
            }
        }
        Files.writeString(dir.resolve("results.jsonl"), lines.toString(), StandardCharsets.UTF_8);
        Map<Case, String> caseCharts = new LinkedHashMap<>();
        Map<String, String> ratioCharts = new LinkedHashMap<>();
        Map<String, List<Case>> byScenario = all.stream()
                .collect(Collectors.groupingBy(Case::scenario, LinkedHashMap::new, Collectors.toList()));
        for (var scenario : byScenario.entrySet()) {
            List<Case> scenarioCases = scenario.getValue();
            for (int i = 0; i < scenarioCases.size(); i++) {
                String file = "charts/" + scenario.getKey() + "-" + (i + 1) + ".png";
                Charts.caseChart(scenarioCases.get(i), dir.resolve(file));
                caseCharts.put(scenarioCases.get(i), file);
            }
            String file = "charts/" + scenario.getKey() + "-speedup.png";
            if (Charts.speedupChart(scenario.getKey(), scenarioCases, dir.resolve(file))) {
                ratioCharts.put(scenario.getKey(), file);
            }
        }
        Files.writeString(dir.resolve("results.md"), markdown("", caseCharts, ratioCharts), StandardCharsets.UTF_8);
    }

    /** The JSON object of one series of {@code c}: a line of results.jsonl, and what {@code --json} prints. */
    Map<String, Object> record(Case c, Series s) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("started", started.toOffsetDateTime().toString());
        r.put("scenario", c.scenario());
        r.put("case", c.title());
        r.put("series", s.name());
        r.put("ours", s.name().equals(c.ours()) || c.ours() == null);
        r.put("unit", c.unit());
        r.put("higher_is_better", c.higherIsBetter());
        r.put("rounds", s.samples().size());
        r.put("median", s.median());
        r.put("min", s.min());
        r.put("max", s.max());
        r.put("samples", s.samples());
        if (s.ideal() != null) {
            r.put("ideal", s.ideal());
        }
        if (c.ours() != null && !s.name().equals(c.ours())) {
            r.put("ours_speedup_paired", c.speedup(s.name()));
        }
        return r;
    }

    /**
     * The Markdown report: the machine and versions, the command, and per scenario its tables and charts (paths
     * given relative to the results directory, prefixed with {@code chartPrefix}).
     */
    public String markdown(String chartPrefix, Map<Case, String> caseCharts, Map<String, String> ratioCharts) {
        StringBuilder md = new StringBuilder();
        md.append("# ReactiveKit perf results\n\n");
        md.append("Generated by the harness (`").append(command).append("`); never edited by hand.\n\n");
        md.append("| | |\n| --- | --- |\n");
        for (var fact : machine().entrySet()) {
            md.append("| ").append(fact.getKey()).append(" | ").append(fact.getValue()).append(" |\n");
        }
        md.append('\n');
        md.append("How to read it: each case ran ReactiveKit and its baselines in one JVM, alternating round by round ")
                .append("after a warm-up. *median* and *min-max* are over the rounds; *ours vs it* is how many times ")
                .append("that series' speed ours has, the median of the round-by-round ratios (1.00x equal, above 1 ")
                .append("ours is faster; where less is better, a time, a latency or memory, it is its figure over ours). ")
                .append("In `core` (JMH) iteration i of each benchmark is paired. The charts draw the medians, their ")
                .append("error bars reach the farther of the min and the max.\n\n");
        Map<String, List<Case>> byScenario = cases().stream()
                .collect(Collectors.groupingBy(Case::scenario, LinkedHashMap::new, Collectors.toList()));
        for (var scenario : byScenario.entrySet()) {
            md.append("## ").append(scenario.getKey()).append("\n\n");
            for (int i = 0; i < scenario.getValue().size(); i++) {
                Case c = scenario.getValue().get(i);
                md.append("### ").append(scenario.getKey()).append(' ').append(i + 1).append(": ").append(c.title())
                        .append("\n\n");
                boolean ideal = c.series().stream().anyMatch(s -> s.ideal() != null);
                md.append("| series | median ").append(c.unit()).append(" | min-max |")
                        .append(ideal ? " ideal | vs ideal |" : "").append(c.ours() != null ? " ours vs it |" : "")
                        .append('\n');
                md.append("| --- | ---: | ---: |").append(ideal ? " ---: | ---: |" : "")
                        .append(c.ours() != null ? " ---: |" : "").append('\n');
                for (Series s : c.series()) {
                    md.append("| ").append(s.name().equals(c.ours()) ? "**" + s.name() + "**" : s.name())
                            .append(" | ").append(number(s.median())).append(" | ").append(number(s.min()))
                            .append("-").append(number(s.max())).append(" |");
                    if (ideal) {
                        md.append(s.ideal() == null ? " | |" : " " + number(s.ideal()) + " | "
                                + String.format(Locale.ROOT, "%.2fx", s.median() / s.ideal()) + " |");
                    }
                    if (c.ours() != null) {
                        md.append(s.name().equals(c.ours()) ? " |"
                                : String.format(Locale.ROOT, " %.2fx |", c.speedup(s.name())));
                    }
                    md.append('\n');
                }
                md.append('\n');
                for (String note : c.notes()) {
                    md.append(note).append("\n\n");
                }
                if (caseCharts.containsKey(c)) {
                    md.append("![").append(c.title()).append("](").append(chartPrefix).append(caseCharts.get(c))
                            .append(")\n\n");
                }
            }
            if (ratioCharts.containsKey(scenario.getKey())) {
                md.append("![").append(scenario.getKey()).append(": ours vs each baseline](").append(chartPrefix)
                        .append(ratioCharts.get(scenario.getKey())).append(")\n\n");
            }
        }
        return md.toString();
    }

    /** Writes the Markdown report to {@code file}, its charts referred to under {@code resultsDir} (relative). */
    public void writeMarkdown(Path file, Path resultsDir) throws IOException {
        Path relative = file.toAbsolutePath().getParent().relativize(resultsDir.toAbsolutePath());
        String prefix = relative.toString().replace('\\', '/') + "/";
        Map<Case, String> caseCharts = new LinkedHashMap<>();
        Map<String, String> ratioCharts = new LinkedHashMap<>();
        Map<String, List<Case>> byScenario = cases().stream()
                .collect(Collectors.groupingBy(Case::scenario, LinkedHashMap::new, Collectors.toList()));
        for (var scenario : byScenario.entrySet()) {
            for (int i = 0; i < scenario.getValue().size(); i++) {
                caseCharts.put(scenario.getValue().get(i), "charts/" + scenario.getKey() + "-" + (i + 1) + ".png");
            }
            if (Files.exists(resultsDir.resolve("charts/" + scenario.getKey() + "-speedup.png"))) {
                ratioCharts.put(scenario.getKey(), "charts/" + scenario.getKey() + "-speedup.png");
            }
        }
        Files.writeString(file, markdown(prefix, caseCharts, ratioCharts), StandardCharsets.UTF_8);
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : "%.3f", v);
    }

    /** The machine, the JVM and the libraries of this run. */
    public Map<String, String> machine() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("date", started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        String javaHome = System.getenv("JAVA_HOME");
        facts.put("command", "`" + (javaHome == null || javaHome.isBlank() ? "" : "JAVA_HOME=" + javaHome + " ")
                + command + "`");
        facts.put("machine", Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), "
                + memory() + " memory, " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        facts.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")");
        Properties versions = new Properties();
        try (InputStream in = Report.class.getResourceAsStream("/reactivekit-perf-versions.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        facts.put("libraries", versions.stringPropertyNames().stream().sorted()
                .map(k -> k + " " + versions.getProperty(k)).collect(Collectors.joining(", ")));
        return facts;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }

    private static String memory() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format(Locale.ROOT, "%.1f GiB",
                            Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
