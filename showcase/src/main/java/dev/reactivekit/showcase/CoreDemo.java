package dev.reactivekit.showcase;

import dev.reactivekit.core.Concurrency;
import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.Outcome;
import dev.reactivekit.core.Policy;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.Task;
import dev.reactivekit.core.TaskGroup;
import dev.reactivekit.core.Tasks;
import dev.reactivekit.core.Timeouts;
import dev.reactivekit.core.TransientException;
import dev.reactivekit.core.sync.AsyncQueue;
import dev.reactivekit.showcase.cli.AppCommand;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A tour of reactive-core on simulated work (timers, no network): each scenario runs, and its result and
 * wall-clock time are printed as one row of a table.
 */
@Command(name = "core-demo", mixinStandardHelpOptions = true,
        description = "Tour of reactive-core: gather, settled, limits, task groups, retry, deadlines, queues.")
final class CoreDemo extends AppCommand {

    @Option(names = "--unit-ms", defaultValue = "100",
            description = "Length of one simulated unit of work, in milliseconds (default: ${DEFAULT-VALUE}).")
    long unitMs;

    private PrintStream out;

    @Override
    protected int run() {
        out = console.out();
        Duration unit = Duration.ofMillis(unitMs);
        out.printf("ReactiveKit core tour (1 unit of simulated work = %d ms)%n%n", unitMs);
        warmUp();
        out.printf("%-38s %-58s %9s%n", "scenario", "result", "time");
        out.println("-".repeat(107));
        row("gather: 3 tasks of 3, 2, 1 units", () -> Tasks.all(List.of(work("a", unit.multipliedBy(3)),
                work("b", unit.multipliedBy(2)), work("c", unit))).map(Object::toString));
        row("settled: one of 4 inputs fails", () -> Tasks.settled(List.of("x", "y", "boom", "z"),
                in -> in.equals("boom") ? Mono.<String>error(new IllegalStateException("no " + in)) : work(in, unit))
                .map(o -> o.fold(v -> v, e -> "error(" + e.getMessage() + ")"))
                .collectList().map(Object::toString));
        row("limit(4): 12 tasks of 1 unit", () -> {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            return Tasks.all(Flux.range(0, 12), i -> work(i, unit)
                            .doOnSubscribe(s -> peak.accumulateAndGet(running.incrementAndGet(), Math::max))
                            .doOnTerminate(running::decrementAndGet), Concurrency.limit(4))
                    .map(list -> list.size() + " done, at most " + peak.get() + " at once");
        });
        row("task group: a child fails", () -> TaskGroup.run(group -> {
                    Task<String> slow = group.start(work("slow", unit.multipliedBy(10)));
                    group.start(Mono.delay(unit).then(Mono.error(new IllegalStateException("child broke"))));
                    return slow.join();
                }).onErrorResume(e -> Mono.just(e.getMessage()
                        + "; sibling cancelled")));
        row("retry: fails twice, then works", () -> {
            AtomicInteger attempts = new AtomicInteger();
            Policy policy = Policy.builder()
                    .retry(RetryPolicy.exponential(unit).maxAttempts(4).jitter(0))
                    .build();
            return policy.execute("flaky", n -> {
                attempts.set(n);
                return n < 3 ? Mono.error(new TransientException("HTTP 503")) : work("ok", Duration.ZERO);
            }).map(v -> v + " after " + attempts.get() + " attempts (waits: 1 + 2 units)");
        });
        row("deadline 3 units over a 50 unit call", () -> Deadline.within(
                Timeouts.timeout(work("never", unit.multipliedBy(100)), unit.multipliedBy(50), "inner call"),
                unit.multipliedBy(3), "request")
                .onErrorResume(e -> Mono.just(e.getMessage())));
        row("queue(3): 10 items, slow consumer", () -> {
            AsyncQueue<Integer> queue = AsyncQueue.bounded(3);
            AtomicInteger maxSize = new AtomicInteger();
            Mono<Void> producer = Flux.range(1, 10)
                    .concatMap(i -> queue.offer(i).doOnSuccess(x -> maxSize.accumulateAndGet(queue.size(), Math::max)))
                    .then(Mono.fromRunnable(queue::close));
            Mono<List<Integer>> consumer = queue.asFlux()
                    .concatMap(i -> Mono.delay(unit.dividedBy(2)).thenReturn(i).doOnNext(x -> queue.taskDone()), 1)
                    .collectList();
            return Mono.zip(consumer, producer.then(queue.join()).thenReturn(true))
                    .map(t -> t.getT1().size() + " consumed in order, queue never above " + maxSize.get());
        });
        out.println();
        out.println("Every row ran as a Mono pipeline; only this command's main thread waited for the results.");
        return 0;
    }

    private static <T> Mono<T> work(T value, Duration duration) {
        return Mono.delay(duration).thenReturn(value);
    }

    private void row(String scenario, java.util.function.Supplier<Mono<String>> pipeline) {
        long start = System.nanoTime();
        Outcome<String> outcome = Outcome.capture(Mono.defer(pipeline)).block(Duration.ofMinutes(1));
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        String result = outcome.fold(v -> v, e -> "FAILED: " + e);
        out.printf("%-38s %-58s %6d ms%n", scenario, abbreviate(result, 58), ms);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** Loads and links the classes involved once, so the first row's time is not mostly class loading. */
    private static void warmUp() {
        Tasks.all(List.of(work(1, Duration.ofMillis(1)), work(2, Duration.ZERO))).block(Duration.ofSeconds(10));
    }
}
