package dev.reactivekit.showcase;

import dev.reactivekit.core.sync.AsyncQueue;
import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Durations;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Progress;
import dev.reactivekit.showcase.cli.Table;
import dev.reactivekit.showcase.cli.UsageException;
import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code pipeline}: producers and consumers over one bounded {@link AsyncQueue} (the seeds' asyncio.Queue
 * example): producers wait while the queue is full, consumers while it is empty; at the end every item is
 * checked to have been consumed exactly once.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Producers and consumers over one bounded AsyncQueue, with a live line of queue depth and items/s, and a final check that counts in = counts out, per producer and per consumer.")
final class Pipeline extends AppCommand {

    @Option(names = "--producers", defaultValue = "3", description = "Producers.")
    int producers;

    @Option(names = "--consumers", defaultValue = "2", description = "Consumers.")
    int consumers;

    @Option(names = "--queue-size", defaultValue = "10", description = "Capacity of the queue.")
    int queueSize;

    @Option(names = "--items", defaultValue = "100", description = "Items each producer puts.")
    int items;

    @Option(names = "--producer-delay", defaultValue = "0ms", description = "Time a producer takes to make an item.")
    Duration producerDelay;

    @Option(names = "--consumer-delay", defaultValue = "5ms", description = "Time a consumer takes to handle an item.")
    Duration consumerDelay;

    /** One item: who made it and its number among that producer's items. */
    private record Item(int producer, int seq) {
    }

    @Override
    protected int run() {
        if (producers < 1 || consumers < 1 || queueSize < 1 || items < 0) {
            throw new UsageException("--producers, --consumers and --queue-size must be at least 1, --items at least 0");
        }
        // A full queue is this demo's backpressure, not a failure: offers wait as long as they must.
        AsyncQueue<Item> queue = AsyncQueue.builder(queueSize).maxWait(Duration.ofDays(1)).build();
        AtomicLongArray produced = new AtomicLongArray(producers);
        AtomicLongArray consumed = new AtomicLongArray(consumers);
        AtomicLongArray receivedFrom = new AtomicLongArray(producers);
        BitSet[] seen = new BitSet[producers];
        for (int i = 0; i < producers; i++) {
            seen[i] = new BitSet(items);
        }
        AtomicLong duplicates = new AtomicLong();
        AtomicInteger maxDepth = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        long total = (long) producers * items;

        Mono<Void> producing = Flux.range(0, producers)
                .flatMap(p -> Flux.range(0, items)
                        .concatMap(n -> Mono.delay(producerDelay).then(queue.offer(new Item(p, n)))
                                .doOnSuccess(x -> {
                                    produced.incrementAndGet(p);
                                    maxDepth.accumulateAndGet(queue.size(), Math::max);
                                })), producers)
                .then(Mono.fromRunnable(queue::close));
        Mono<Void> consuming = Flux.range(0, consumers)
                .flatMap(c -> queue.asFlux()
                        .concatMap(item -> Mono.delay(consumerDelay).thenReturn(item), 1)
                        .doOnNext(item -> {
                            consumed.incrementAndGet(c);
                            receivedFrom.incrementAndGet(item.producer());
                            synchronized (seen[item.producer()]) {
                                if (seen[item.producer()].get(item.seq())) {
                                    duplicates.incrementAndGet();
                                }
                                seen[item.producer()].set(item.seq());
                            }
                            done.incrementAndGet();
                            queue.taskDone();
                        }), consumers)
                .then();

        long start = System.nanoTime();
        try (Progress progress = Progress.items(showProgress(), "pipeline", total)) {
            Disposable live = Flux.interval(Duration.ofMillis(200)).subscribe(tick -> {
                double seconds = (System.nanoTime() - start) / 1e9;
                progress.stepTo(done.get());
                progress.extra(String.format(Locale.ROOT, "queue %d/%d, %.0f items/s", queue.size(), queueSize,
                        done.get() / Math.max(seconds, 1e-9)));
            });
            try {
                Mono.when(producing, consuming).then(queue.join())
                        .takeUntilOther(console.interrupted())
                        .block();
            } finally {
                live.dispose();
                queue.close();
            }
            progress.stepTo(done.get());
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        long in = sum(produced);
        long out = sum(consumed);
        boolean interrupted = console.isInterrupted();
        boolean perProducerOk = true;
        for (int p = 0; p < producers; p++) {
            perProducerOk &= produced.get(p) == receivedFrom.get(p) && produced.get(p) == items;
        }
        // Stopped early, what was put but not taken is left over; otherwise everything put was taken, once.
        boolean ok = duplicates.get() == 0 && (interrupted ? out <= in : in == out && perProducerOk);
        double rate = out / Math.max(wall.toNanos() / 1e9, 1e-9);
        if (json) {
            for (int p = 0; p < producers; p++) {
                console.json(Map.of("producer", p, "produced", produced.get(p), "consumed", receivedFrom.get(p)));
            }
            for (int c = 0; c < consumers; c++) {
                console.json(Map.of("consumer", c, "consumed", consumed.get(c)));
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("summary", true);
            summary.put("in", in);
            summary.put("out", out);
            summary.put("duplicates", duplicates.get());
            summary.put("max_depth", maxDepth.get());
            summary.put("wall_s", wall.toMillis() / 1000.0);
            summary.put("items_per_s", Math.round(rate * 10) / 10.0);
            summary.put("ok", ok);
            summary.put("interrupted", interrupted);
            console.json(summary);
        } else {
            Table table = new Table("worker", "put", "taken");
            for (int p = 0; p < producers; p++) {
                table.row("producer " + p, produced.get(p), receivedFrom.get(p));
            }
            for (int c = 0; c < consumers; c++) {
                table.row("consumer " + c, "", consumed.get(c));
            }
            table.print(console.out());
            String check = !ok ? "MISMATCH (" + duplicates.get() + " duplicates)"
                    : interrupted ? "no item consumed twice" : "every item consumed exactly once";
            console.out().printf(Locale.ROOT, "%n%d in, %d out%s in %s (%.0f items/s), queue never above %d of %d: %s%n",
                    in, out, interrupted ? ", " + (in - out) + " left unconsumed (interrupted)" : "",
                    Durations.format(wall), rate, maxDepth.get(), queueSize, check);
        }
        return interrupted ? ExitCodes.INTERRUPTED : ok ? ExitCodes.OK : ExitCodes.FAILURES;
    }

    private static long sum(AtomicLongArray counts) {
        long sum = 0;
        for (int i = 0; i < counts.length(); i++) {
            sum += counts.get(i);
        }
        return sum;
    }
}
