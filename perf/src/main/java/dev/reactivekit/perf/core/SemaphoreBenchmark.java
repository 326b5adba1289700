package dev.reactivekit.perf.core;

import dev.reactivekit.core.sync.AsyncSemaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Bounding a fan-out of {@value #TASKS} tasks to {@code limit} at once: {@link AsyncSemaphore#withPermit} (what
 * asyncio code does with {@code async with sem:}, and what a limit shared across call sites needs) against the
 * idiomatic Reactor baseline, {@code flatMap(task, limit)}. Throughput in tasks per second.
 * <p>
 * {@code work=sync}: tasks complete at once, so this measures the per-task cost of the limiter itself.
 * {@code work=async}: each task hops to Reactor's parallel scheduler, so tasks really overlap, waiters queue up
 * and permits are handed over between threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class SemaphoreBenchmark {

    static final int TASKS = 10_000;

    @Param({"16"})
    int limit;

    @Param({"sync", "async"})
    String work;

    private AsyncSemaphore semaphore;

    @Setup
    public void setup() {
        semaphore = AsyncSemaphore.of(limit);
    }

    private Mono<Integer> task(int i) {
        Mono<Integer> task = Mono.just(i);
        return work.equals("async") ? task.publishOn(Schedulers.parallel()) : task;
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Long asyncSemaphoreWithPermit() {
        // flatMap lets four times the limit in, so that the semaphore is what limits the fan-out and tasks
        // really wait for permits. (Far more makes Reactor's flatMap scan its many inners and measures that.)
        return Flux.range(0, TASKS).flatMap(i -> semaphore.withPermit(task(i)), 4 * limit).count().block();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Long reactorFlatMapConcurrency() {
        return Flux.range(0, TASKS).flatMap(this::task, limit).count().block();
    }
}
