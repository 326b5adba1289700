package dev.reactivekit.perf;

import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Table;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A scenario of the harness: it measures, prints each case for people (or one JSON object per series with
 * {@code --json}), and records it in the run's {@link Report}, written to {@code perf/results/<date>/<scenario>}
 * when the scenario runs alone, or with all the others when {@code perf all} runs it.
 */
public abstract class Scenario extends AppCommand {

    @Option(names = "--results", paramLabel = "DIR",
            description = "Where the results files go (default: perf/results/<date>/<scenario> of the repository).")
    Path results;

    @Option(names = "--no-results", description = "Print the results only; write no results files.")
    boolean noResults;

    @CommandLine.ParentCommand
    Perf perf;

    private Report shared;

    /** The scenario's name, as typed: {@code echo}. */
    public String name() {
        return getClass().getAnnotation(Command.class).name();
    }

    /** The arguments {@code perf all --quick} runs this scenario with: smaller, fewer rounds. */
    public abstract List<String> quickArguments();

    /** Measures, printing and {@linkplain #report(Report.Case) reporting} each case; returns the exit code. */
    protected abstract int measure() throws Exception;

    /** Runs as part of {@code perf all}: the cases go to {@code report}, written by {@code all} at the end. */
    void sharedReport(Report report) {
        this.shared = report;
    }

    @Override
    protected final int run() throws Exception {
        if (shared != null) {
            return measure();
        }
        shared = new Report(perf == null ? "./reactivekit perf " + name() : perf.typed());
        try {
            int exit = measure();
            if (!noResults && !shared.cases().isEmpty()) {
                Path dir = results != null ? results : Report.defaultDirectory(name());
                shared.write(dir);
                console.note("results: " + dir.toAbsolutePath().normalize());
            }
            return exit;
        } finally {
            shared = null;
        }
    }

    /** What the run is (sizes, rounds, server): on stdout for people, on stderr with {@code --json}. */
    protected void header(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        if (json) {
            console.err().println(text.strip());
        } else {
            console.out().println(text.strip());
            console.out().println();
        }
    }

    /** Records {@code c} without printing it (the scenario prints its own table). */
    protected void record(Report.Case c) {
        shared.add(c);
    }

    /** Records {@code c} and prints it: a table for people, or one JSON object per series with {@code --json}. */
    protected void report(Report.Case c) {
        record(c);
        if (json) {
            for (Report.Series s : c.series()) {
                console.json(shared.record(c, s));
            }
            return;
        }
        console.out().println(c.title() + "; " + c.unit());
        Table table = new Table("series", "median", "min-max", c.ours() == null ? "" : "ours vs it");
        for (Report.Series s : c.series()) {
            table.row(s.name(), Report.number(s.median()), Report.number(s.min()) + "-" + Report.number(s.max()),
                    c.ours() == null || s.name().equals(c.ours()) ? ""
                            : String.format(Locale.ROOT, "%.2fx", c.speedup(s.name())));
        }
        table.print(console.out());
        for (String note : c.notes()) {
            console.out().println(note);
        }
        console.out().println();
    }
}
