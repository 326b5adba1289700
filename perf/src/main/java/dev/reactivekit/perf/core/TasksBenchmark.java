package dev.reactivekit.perf.core;

import dev.reactivekit.core.Outcome;
import dev.reactivekit.core.Tasks;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Gathering {@value #TASKS} tasks that complete at once: {@link Tasks#all} (asyncio's {@code gather}: the values in
 * input order, the first error cancels the rest) against {@code Flux.merge(tasks).collectList()}, and
 * {@link Tasks#settled} (every task's {@link Outcome}, in input order, none cancelled) against {@code Flux.merge}
 * of each task mapped to its outcome with {@code onErrorResume}. Tasks per second: the per-task cost of the
 * ordering and error handling.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class TasksBenchmark {

    static final int TASKS = 10_000;

    final List<Mono<Integer>> tasks = IntStream.range(0, TASKS).mapToObj(Mono::just).toList();

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public List<Integer> tasksAll() {
        return Tasks.all(tasks).block();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public List<Integer> fluxMergeCollectList() {
        return Flux.merge(tasks).collectList().block();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Long tasksSettled() {
        return Tasks.settled(tasks).count().block();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Long fluxMergeOutcomes() {
        return Flux.merge(Flux.fromIterable(tasks).map(task -> task.map(Outcome::success)
                .onErrorResume(e -> Mono.just(Outcome.failure(e))))).count().block();
    }
}
