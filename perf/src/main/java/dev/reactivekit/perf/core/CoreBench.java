package dev.reactivekit.perf.core;

import dev.reactivekit.perf.Measurements;
import dev.reactivekit.perf.Scenario;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.UsageException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The JMH benchmarks of core operators as a scenario of the harness: each benchmark class run by JMH (its own
 * forked JVM, warm-up and measured iterations), each measured iteration a sample, our operator against the plain
 * Reactor (or JDK) code it replaces. {@code perf jmh} runs JMH itself, with any of its options.
 */
@Command(name = "core", mixinStandardHelpOptions = true, sortOptions = false,
        description = "JMH: Tasks.all/settled vs Flux.merge, Policy.apply vs a bare Mono, AsyncSemaphore.withPermit"
                + " vs flatMap(limit), AsyncQueue vs a unicast sink vs an ArrayBlockingQueue hand-off.")
public final class CoreBench extends Scenario {

    /** A case: a title, the benchmark methods (ours first) and the parameters that pick their runs. */
    record Group(String title, Class<?> benchmark, List<String> methods, Map<String, String> params) {
    }

    static final List<Group> GROUPS = List.of(
            new Group("Tasks.all of 10,000 completed tasks vs Flux.merge(...).collectList()", TasksBenchmark.class,
                    List.of("tasksAll", "fluxMergeCollectList"), Map.of()),
            new Group("Tasks.settled of 10,000 completed tasks vs Flux.merge of their outcomes", TasksBenchmark.class,
                    List.of("tasksSettled", "fluxMergeOutcomes"), Map.of()),
            new Group("Policy.apply (timeout and retry) vs a bare Mono", PolicyBenchmark.class,
                    List.of("policyApply", "policyNone", "bareMono"), Map.of()),
            new Group("AsyncSemaphore.withPermit vs flatMap(limit), tasks completing at once", SemaphoreBenchmark.class,
                    List.of("asyncSemaphoreWithPermit", "reactorFlatMapConcurrency"), Map.of("work", "sync")),
            new Group("AsyncSemaphore.withPermit vs flatMap(limit), tasks on the parallel scheduler",
                    SemaphoreBenchmark.class, List.of("asyncSemaphoreWithPermit", "reactorFlatMapConcurrency"),
                    Map.of("work", "async")),
            new Group("AsyncQueue (capacity 256) vs a unicast sink vs an ArrayBlockingQueue hand-off",
                    QueueBenchmark.class, List.of("asyncQueue", "asyncQueueTryOffer", "reactorUnicastSink",
                            "arrayBlockingQueue"), Map.of()));

    @Option(names = "--iterations", defaultValue = "5", description = "Measured iterations per benchmark (the samples).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up iterations per benchmark.")
    int warmup;

    @Option(names = "--iteration-ms", defaultValue = "1000", description = "Length of one iteration, in milliseconds.")
    int iterationMillis;

    @Option(names = "--forks", defaultValue = "1", description = "JVMs forked per benchmark (0 runs them in this one: for tests only).")
    int forks;

    @Override
    public List<String> quickArguments() {
        return List.of("--iterations", "2", "--warmup", "1", "--iteration-ms", "500");
    }

    @Override
    protected int measure() throws Exception {
        if (iterations < 1 || warmup < 0 || iterationMillis < 1 || forks < 0) {
            throw new UsageException("--iterations and --iteration-ms must be at least 1, --warmup and --forks at least 0");
        }
        header("JMH: %d measured iterations of %d ms after %d of warm-up, %d fork(s) per benchmark", iterations,
                iterationMillis, warmup, forks);
        Map<Class<?>, Collection<RunResult>> runs = new LinkedHashMap<>();
        for (Group group : GROUPS) {
            if (!runs.containsKey(group.benchmark())) {
                runs.put(group.benchmark(), new Runner(new OptionsBuilder()
                        .include(group.benchmark().getName().replace(".", "\\.") + "\\.")
                        .forks(forks).warmupIterations(warmup).measurementIterations(iterations)
                        .warmupTime(TimeValue.milliseconds(iterationMillis))
                        .measurementTime(TimeValue.milliseconds(iterationMillis))
                        .verbosity(VerboseMode.SILENT)
                        .build()).run());
                if (console.isInterrupted()) {
                    // Ctrl-C reached the forked JVM too: what JMH returned is cut short, not a result
                    throw new InterruptedException("stopped");
                }
            }
            Measurements m = new Measurements();
            List<String> names = new ArrayList<>();
            for (String method : group.methods()) {
                RunResult run = find(runs.get(group.benchmark()), method, group.params());
                String name = method + "()";
                names.add(name);
                for (BenchmarkResult fork : run.getBenchmarkResults()) {
                    for (IterationResult iteration : fork.getIterationResults()) {
                        m.add(name, iteration.getPrimaryResult().getScore());
                    }
                }
            }
            report(m.toCase(name(), group.title(), "ops/s", names));
        }
        return ExitCodes.OK;
    }

    private static RunResult find(Collection<RunResult> results, String method, Map<String, String> params) {
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            if (benchmark.endsWith("." + method) && params.entrySet().stream()
                    .allMatch(p -> p.getValue().equals(r.getParams().getParam(p.getKey())))) {
                return r;
            }
        }
        throw new IllegalStateException(String.format(Locale.ROOT, "JMH ran no %s %s", method, params));
    }
}
