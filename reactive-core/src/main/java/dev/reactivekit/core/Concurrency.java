package dev.reactivekit.core;

import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.core.internal.KeyedSemaphores;
import dev.reactivekit.core.sync.AsyncSemaphore;
import java.util.List;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * How many tasks of a fan-out may run at once: a global limit, and optionally a limit per key (per host, per
 * user), as asyncio's {@code Semaphore(n)} around each task and aiohttp's {@code limit}/{@code limit_per_host}.
 *
 * <pre>{@code
 * Concurrency<Object> fifty = Concurrency.limit(50);
 * Concurrency<URI> polite = Concurrency.perKey(50, URI::getHost, 4);   // 50 in all, 4 per host
 * Flux<FetchResult> pages = polite.flatMap(uris, http::get);
 * }</pre>
 *
 * An immutable spec that can be kept as a template: each application ({@link #flatMap}, {@link Tasks}) gets
 * its own permits, so two fan-outs with the same spec do not share their limit. To share one limit across
 * unrelated calls, use an {@link AsyncSemaphore} directly.
 * <p>
 * With a per-key limit, inputs whose key is busy wait without holding a global slot, so one slow host does not
 * stall the others. At most {@link #maxPending()} inputs are pulled from upstream and held (running or waiting)
 * at a time; the default is {@link #DEFAULT_PENDING_FACTOR} times the global limit.
 *
 * @param <I> the input type whose key a per-key limit reads ({@code Object} for a global limit)
 */
public final class Concurrency<I> {

    /** With a per-key limit, inputs held at once (running or waiting) default to this many times the limit. */
    public static final int DEFAULT_PENDING_FACTOR = 4;

    private final int maxInFlight;
    private final Function<? super I, ?> keyOf;
    private final int maxPerKey;
    private final int maxPending;

    private Concurrency(int maxInFlight, Function<? super I, ?> keyOf, int maxPerKey, int maxPending) {
        this.maxInFlight = maxInFlight;
        this.keyOf = keyOf;
        this.maxPerKey = maxPerKey;
        this.maxPending = maxPending;
    }

    /** At most {@code maxInFlight} (> 0) tasks at once. */
    public static Concurrency<Object> limit(int maxInFlight) {
        Checks.positive(maxInFlight, "maxInFlight");
        return new Concurrency<>(maxInFlight, null, maxInFlight, maxInFlight);
    }

    /**
     * At most {@code maxInFlight} tasks at once in all, and at most {@code maxPerKey} at once for inputs with
     * the same {@code keyOf(input)} (compared with {@code equals}).
     */
    public static <I> Concurrency<I> perKey(int maxInFlight, Function<? super I, ?> keyOf, int maxPerKey) {
        Checks.positive(maxInFlight, "maxInFlight");
        Checks.notNull(keyOf, "keyOf");
        Checks.positive(maxPerKey, "maxPerKey");
        long pending = (long) maxInFlight * DEFAULT_PENDING_FACTOR;
        return new Concurrency<>(maxInFlight, keyOf, maxPerKey, (int) Math.min(Integer.MAX_VALUE, pending));
    }

    /**
     * A copy that holds at most {@code maxPending} inputs at once, running or waiting for a per-key permit;
     * must be at least the global limit. Only meaningful with a per-key limit.
     */
    public Concurrency<I> maxPending(int maxPending) {
        Checks.isTrue(maxPending >= maxInFlight,
                () -> "`maxPending` must be >= maxInFlight (" + maxInFlight + "): " + maxPending);
        return new Concurrency<>(maxInFlight, keyOf, maxPerKey, maxPending);
    }

    /** Tasks allowed at once in all. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Tasks allowed at once per key; equal to {@link #maxInFlight()} without a per-key limit. */
    public int maxPerKey() {
        return maxPerKey;
    }

    /** Inputs held at once, running or waiting for their key. */
    public int maxPending() {
        return maxPending;
    }

    /** Whether this spec limits tasks per key. */
    public boolean isPerKey() {
        return keyOf != null;
    }

    /** Runs {@code task} for each input within the limits; results in completion order. */
    public <J extends I, O> Flux<O> flatMap(Publisher<J> inputs, Function<? super J, ? extends Publisher<? extends O>> task) {
        return apply(Flux.from(inputs), Function.identity(), task, false);
    }

    /** Runs {@code task} for each input within the limits; results in input order. */
    public <J extends I, O> Flux<O> flatMapSequential(Publisher<J> inputs,
            Function<? super J, ? extends Publisher<? extends O>> task) {
        return apply(Flux.from(inputs), Function.identity(), task, true);
    }

    /**
     * Fan-out over elements {@code X} that wrap an input (for example an indexed input): the key is read from
     * {@code inputOf(x)}. Tasks are subscribed lazily, one per element.
     */
    <X, O> Flux<O> apply(Flux<X> elements, Function<? super X, ? extends I> inputOf,
            Function<? super X, ? extends Publisher<? extends O>> task, boolean ordered) {
        Checks.notNull(task, "task");
        if (keyOf == null) {
            Function<X, Publisher<O>> run = x -> lazily(task, x);
            return ordered ? elements.flatMapSequential(run, maxInFlight) : elements.flatMap(run, maxInFlight);
        }
        return Flux.defer(() -> {
            // Fresh permits for each subscription: the spec is a template, not a shared limiter.
            AsyncSemaphore global = AsyncSemaphore.of(maxInFlight);
            KeyedSemaphores perKey = new KeyedSemaphores(maxPerKey);
            Function<X, Publisher<O>> run = x -> perKey.withPermit(keyOf.apply(inputOf.apply(x)),
                    global.withPermit(lazily(task, x)));
            return ordered ? elements.flatMapSequential(run, maxPending) : elements.flatMap(run, maxPending);
        });
    }

    /** Subscribes the task only when its turn comes; a task function that throws becomes a failed task. */
    @SuppressWarnings("unchecked")
    private static <X, O> Flux<O> lazily(Function<? super X, ? extends Publisher<? extends O>> task, X x) {
        // Publisher<? extends O> is read-only, so viewing it as Publisher<O> is safe.
        return Flux.defer(() -> (Publisher<O>) Checks.notNull(task.apply(x), "task result"));
    }

    /**
     * Runs {@code task} over {@code inputs} in consecutive batches of {@code batchSize}: all tasks of a batch
     * at once, the next batch only after the whole batch succeeded (the seeds' {@code batch_requests}). Emits
     * each batch's results in input order; a task that completes empty contributes {@code null}. The first
     * failure cancels its batch and ends the stream with a {@link TaskFailedException} naming the input and
     * its position in the whole input.
     */
    public static <I, T> Flux<List<T>> inBatches(Publisher<I> inputs, int batchSize,
            Function<? super I, ? extends Mono<? extends T>> task) {
        Checks.positive(batchSize, "batchSize");
        Checks.notNull(task, "task");
        return Flux.from(inputs)
                .buffer(batchSize)
                .index()
                .concatMap(batch -> Tasks.gather(Flux.fromIterable(batch.getT2()), task, Concurrency.limit(batchSize),
                        batch.getT1() * batchSize, true));
    }

    @Override
    public String toString() {
        return keyOf == null
                ? "Concurrency[maxInFlight=" + maxInFlight + "]"
                : "Concurrency[maxInFlight=" + maxInFlight + ", maxPerKey=" + maxPerKey + ", maxPending=" + maxPending + "]";
    }
}
