package dev.reactivekit.perf;

import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Every scenario, one after another in one JVM, into one results directory: {@code perf all --quick} (smaller
 * runs, fewer rounds: a few minutes) or {@code perf all} (each scenario's defaults), the latter also writing
 * {@code perf/RESULTS.md}. A scenario that fails is reported and the others still run.
 */
@Command(name = "all", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Every scenario, one after another, into one results directory (perf/results/<date>/all, "
                + "or .../quick); a full run also writes perf/RESULTS.md.")
final class All extends AppCommand {

    /** The scenarios, in the order they run. */
    static final List<String> SCENARIOS = List.of("seed", "fanout", "echo", "http", "ws", "pg", "redis", "files",
            "memory", "crawl", "core");

    @Option(names = "--quick", description = "Each scenario small, with fewer rounds (a few minutes in all).")
    boolean quick;

    @Option(names = "--skip", split = ",", paramLabel = "SCENARIO", description = "Scenarios not to run.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--results", paramLabel = "DIR",
            description = "Where the results files go (default: perf/results/<date>/all, or .../quick).")
    Path results;

    @CommandLine.ParentCommand
    Perf perf;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    protected int run() throws Exception {
        for (String name : skip) {
            if (!SCENARIOS.contains(name)) {
                throw new UsageException("--skip: no scenario " + name + " (the scenarios: " + String.join(", ", SCENARIOS) + ")");
            }
        }
        Report report = new Report(perf.typed());
        List<String> failed = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        long start = System.nanoTime();
        for (String name : SCENARIOS) {
            if (skip.contains(name)) {
                continue;
            }
            CommandLine sub = spec.parent().subcommands().get(name).getCommandSpec().commandLine();
            Scenario scenario = sub.getCommand();
            List<String> args = new ArrayList<>(quick ? scenario.quickArguments() : List.of());
            console.out().println("== " + name + (args.isEmpty() ? "" : " " + String.join(" ", args)));
            console.out().println();
            scenario.sharedReport(report);
            int exit;
            try {
                exit = sub.execute(args.toArray(String[]::new));
            } finally {
                scenario.sharedReport(null);
            }
            if (console.isInterrupted()) {
                break;
            }
            ran.add(name);
            if (exit != ExitCodes.OK) {
                failed.add(name + " (exit " + exit + ")");
            }
        }
        // Ctrl-C interrupted this thread: clear it, or the files below could not be written.
        boolean interrupted = Thread.interrupted() || console.isInterrupted();
        Path dir = results != null ? results : Report.defaultDirectory(quick ? "quick" : "all");
        if (!report.cases().isEmpty()) {
            report.write(dir);
            console.note("results: " + dir.toAbsolutePath().normalize());
            if (!quick && !interrupted && results == null && failed.isEmpty()) {
                Path summary = dir.getParent().getParent().getParent().resolve("RESULTS.md");
                report.writeMarkdown(summary, dir);
                console.note("summary: " + summary.toAbsolutePath().normalize());
            }
        }
        console.out().printf(Locale.ROOT, "%d scenarios run in %s%s%s%n", ran.size(),
                dev.reactivekit.showcase.cli.Durations.format(Duration.ofNanos(System.nanoTime() - start)),
                failed.isEmpty() ? "" : "; failed: " + String.join(", ", failed),
                interrupted ? "; stopped by Ctrl-C" : "");
        return interrupted ? ExitCodes.INTERRUPTED : failed.isEmpty() ? ExitCodes.OK : ExitCodes.FAILURES;
    }
}
