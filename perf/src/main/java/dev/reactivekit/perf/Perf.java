package dev.reactivekit.perf;

import dev.reactivekit.perf.core.CoreBench;
import dev.reactivekit.perf.data.RedisBench;
import dev.reactivekit.perf.data.SqlBench;
import dev.reactivekit.perf.io.Fanout;
import dev.reactivekit.perf.io.FileBench;
import dev.reactivekit.perf.io.CrawlBench;
import dev.reactivekit.perf.io.EchoBench;
import dev.reactivekit.perf.io.MemoryBench;
import dev.reactivekit.perf.io.Serve;
import dev.reactivekit.perf.tools.Client;
import dev.reactivekit.perf.io.HttpBench;
import dev.reactivekit.perf.io.WsBench;
import dev.reactivekit.perf.seed.SeedExperiment;
import dev.reactivekit.showcase.cli.Commands;
import dev.reactivekit.showcase.cli.Console;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Signals;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmark harness: {@code ./reactivekit perf <scenario>} (or {@code java -jar
 * perf/target/reactivekit-perf.jar <scenario>}). Every scenario runs ReactiveKit and its baseline in the same
 * process, alternating round by round after a warm-up, and reports medians, the spread and the ratios.
 */
@Command(name = "reactivekit perf",
        mixinStandardHelpOptions = true,
        version = "ReactiveKit perf 0.1.0-SNAPSHOT",
        description = "ReactiveKit measured against what a user would otherwise write, in the same run.",
        footer = {"", "Run 'reactivekit perf SCENARIO --help' for a scenario's options and their defaults."},
        subcommands = {
                SeedExperiment.class,
                Fanout.class,
                EchoBench.class,
                HttpBench.class,
                WsBench.class,
                SqlBench.class,
                RedisBench.class,
                FileBench.class,
                MemoryBench.class,
                CrawlBench.class,
                CoreBench.class,
                Perf.Jmh.class,
                All.class,
                Serve.class,
                Client.class,
                CommandLine.HelpCommand.class})
public final class Perf implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private String typed = "./reactivekit perf";

    /** The command line as typed ({@code ./reactivekit perf echo --rounds 2}), to reproduce a run. */
    String typed() {
        return typed;
    }

    public static void main(String[] args) {
        Console console = Console.system();
        Signals.install(console);
        // A scenario does not watch the console: Ctrl-C interrupts the blocking wait of the main thread instead,
        // so that the scenario's finally blocks stop its servers and delete its temp files before the exit.
        Thread main = Thread.currentThread();
        console.interrupted().subscribe(null, null, main::interrupt);
        int exit = run(console, args);
        if (console.isInterrupted() && exit != ExitCodes.OK) {
            console.note("stopped: no results for the scenario that was running");
            exit = ExitCodes.INTERRUPTED;
        }
        System.exit(exit);
    }

    /** Runs one command line against {@code console}; the exit code is returned, never passed to System.exit. */
    public static int run(Console console, String... args) {
        Perf perf = new Perf();
        perf.typed = String.join(" ", java.util.stream.Stream.concat(java.util.stream.Stream.of("./reactivekit perf"),
                java.util.Arrays.stream(args)).toList());
        return Commands.commandLine(perf, console).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The JMH benchmarks of core operators, every argument passed to JMH ({@code jmh -h} lists them). */
    @Command(name = "jmh", description = "The JMH benchmarks of core operators: every argument goes to JMH "
            + "(a regex picks benchmarks; -h lists JMH's options).")
    static final class Jmh implements Callable<Integer> {

        @CommandLine.Unmatched
        List<String> arguments = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            org.openjdk.jmh.Main.main(arguments.toArray(String[]::new));
            return 0;
        }
    }
}
