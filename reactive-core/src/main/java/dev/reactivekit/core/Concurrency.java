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
 * stall the others. At most {@link #maxBuffered()} inputs are pulled from upstream and held (running or waiting)
 * at a time; the default is {@link #DEFAULT_BUFFER_FACTOR} times the global limit.
 *
 * @param <I> the input type whose key a per-key limit reads ({@code Object} for a global limit)
 */
public final class Concurrency<I> {

    /** With a per-key limit, inputs held at once (running or waiting) default to this many times the limit. */
    public static final int DEFAULT_BUFFER_FACTOR = 4;

    private final int maxConcurrency;
    private final Function<? super I, ?> keyOf;
    private final int maxPerKey;
    private final int maxBuffered;

    private Concurrency(int maxConcurrency, Function<? super I, ?> keyOf, int maxPerKey, int maxBuffered) {
        this.maxConcurrency = maxConcurrency;
        this.keyOf = keyOf;
        this.maxPerKey = maxPerKey;
        this.maxBuffered = maxBuffered;
    }

    /** At most {@code maxConcurrency} (> 0) tasks at once. */
    public static Concurrency<Object> limit(int maxConcurrency) {
        Checks.positive(maxConcurrency, "maxConcurrency");
        return new Concurrency<>(maxConcurrency, null, maxConcurrency, maxConcurrency);
    }

    /**
     * At most {@code maxConcurrency} tasks at once in all, and at most {@code maxPerKey} at once for inputs with
     * the same {@code keyOf(input)} (compared with {@code equals}).
     */
    public static <I> Concurrency<I> perKey(int maxConcurrency, Function<? super I, ?> keyOf, int maxPerKey) {
        Checks.positive(maxConcurrency, "maxConcurrency");
        Checks.notNull(keyOf, "keyOf");
        Checks.positive(maxPerKey, "maxPerKey");
        long pending = (long) maxConcurrency * DEFAULT_BUFFER_FACTOR;
        return new Concurrency<>(maxConcurrency, keyOf, maxPerKey, (int) Math.min(Integer.MAX_VALUE, pending));
    }

    /**
     * A copy that holds at most {@code maxBuffered} inputs at once, running or waiting for a per-key permit;
     * must be at least the global limit. Only meaningful with a per-key limit.
     */
    public Concurrency<I> maxBuffered(int maxBuffered) {
        Checks.isTrue(maxBuffered >= maxConcurrency,
                () -> "`maxBuffered` must be >= maxConcurrency (" + maxConcurrency + "): " + maxBuffered);
        return new Concurrency<>(maxConcurrency, keyOf, maxPerKey, maxBuffered);
    }

    /**
     * A copy whose limits are at most {@code maxConcurrency} in all and {@code maxPerKey} per key (both > 0), keeping
     * the key function; a client uses it to fit a caller's spec into its own pool limits. Inputs held at once
     * shrink with the global limit.
     */
    public Concurrency<I> limitedTo(int maxConcurrency, int maxPerKey) {
        Checks.positive(maxConcurrency, "maxConcurrency");
        Checks.positive(maxPerKey, "maxPerKey");
        int total = Math.min(this.maxConcurrency, maxConcurrency);
        int perKey = Math.min(this.maxPerKey, Math.min(maxPerKey, total));
        if (keyOf == null) {
            return new Concurrency<>(total, null, total, total);
        }
        long pending = Math.min(this.maxBuffered, (long) total * DEFAULT_BUFFER_FACTOR);
        return new Concurrency<>(total, keyOf, perKey, (int) Math.max(total, pending));
    }

    /** Tasks allowed at once in all. */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** Tasks allowed at once per key; equal to {@link #maxConcurrency()} without a per-key limit. */
    public int maxPerKey() {
        return maxPerKey;
    }

    /** Inputs held at once, running or waiting for their key. */
    public int maxBuffered() {
        return maxBuffered;
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
            return ordered ? elements.flatMapSequential(run, maxConcurrency) : elements.flatMap(run, maxConcurrency);
        }
        return Flux.defer(() -> {
            // Fresh permits for each subscription: the spec is a template, not a shared limiter. Their waits need
            // no bound of their own: at most maxBuffered inputs are held, and each waits only for tasks ahead of it.
            AsyncSemaphore global = AsyncSemaphore.builder(maxConcurrency).maxWaiters(Integer.MAX_VALUE).maxWait(null)
                    .build();
            KeyedSemaphores perKey = new KeyedSemaphores(maxPerKey);
            Function<X, Publisher<O>> run = x -> perKey.withPermit(keyOf.apply(inputOf.apply(x)),
                    global.withPermit(lazily(task, x)));
            return ordered ? elements.flatMapSequential(run, maxBuffered) : elements.flatMap(run, maxBuffered);
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
                ? "Concurrency[maxConcurrency=" + maxConcurrency + "]"
                : "Concurrency[maxConcurrency=" + maxConcurrency + ", maxPerKey=" + maxPerKey + ", maxBuffered=" + maxBuffered + "]";
    }
}
