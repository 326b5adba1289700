package dev.reactivekit.showcase.crawl;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * The frontier of a crawl in this process: a FIFO queue of at most {@code capacity} URLs (more are dropped and
 * counted, each time), the set of URLs seen (queued or done), and per-host politeness slots. Done when nothing is queued and nothing leased.
 */
final class MemoryFrontier implements Frontier {

    private final int capacity;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    /** Leased and not done yet, in the order they were leased. */
    private final Map<Task, Boolean> inFlight = new LinkedHashMap<>();
    private final Map<String, Long> nextSlot = new ConcurrentHashMap<>();
    /** When the last fetch of each host was let start. */
    private final Map<String, Long> lastStart = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private FluxSink<Lease> sink;
    private long requested;
    private boolean closed;

    MemoryFrontier(int capacity) {
        this.capacity = capacity;
    }

    /** URLs already finished by an earlier run (--resume): seen, never queued again. */
    void seenBefore(Iterable<String> urls) {
        urls.forEach(seen::add);
    }

    @Override
    public Mono<Integer> add(List<Task> tasks) {
        return Mono.fromSupplier(() -> {
            int added = 0;
            synchronized (this) {
                for (Task task : tasks) {
                    if (closed || seen.contains(task.url())) {
                        continue;
                    }
                    // A URL dropped when the queue is full is not remembered as seen, so the seen set stays
                    // within the queue's capacity plus the pages done (the crawler does not offer a link it met
                    // before again, so a dropped URL is lost to this crawl: the summary counts the drops).
                    if (queue.size() >= capacity) {
                        dropped.incrementAndGet();
                        continue;
                    }
                    seen.add(task.url());
                    queue.add(task);
                    added++;
                }
            }
            drain();
            return added;
        });
    }

    @Override
    public Mono<Void> markSeen(String url) {
        return Mono.fromRunnable(() -> seen.add(url));
    }

    @Override
    public Flux<Lease> leases() {
        return Flux.create(s -> {
            synchronized (this) {
                sink = s;
            }
            s.onRequest(n -> {
                synchronized (this) {
                    requested = requested + n < 0 ? Long.MAX_VALUE : requested + n;
                }
                drain();
            });
            s.onDispose(() -> {
                synchronized (this) {
                    closed = true;
                }
            });
            drain();
        });
    }

    /** Hands queued tasks to the workers as they ask; completes the stream when the crawl is done. */
    private void drain() {
        List<Lease> out = new ArrayList<>();
        boolean complete = false;
        FluxSink<Lease> s;
        synchronized (this) {
            s = sink;
            if (s == null) {
                return;
            }
            while (requested > 0 && !queue.isEmpty() && !closed) {
                Task task = queue.poll();
                inFlight.put(task, true);
                requested--;
                out.add(new MemoryLease(task));
            }
            complete = queue.isEmpty() && inFlight.isEmpty();
        }
        out.forEach(s::next);
        if (complete) {
            s.complete();
        }
    }

    private final class MemoryLease implements Lease {
        private final Task task;

        MemoryLease(Task task) {
            this.task = task;
        }

        @Override
        public Task task() {
            return task;
        }

        @Override
        public Mono<Void> done(boolean recorded) {
            return Mono.fromRunnable(() -> {
                synchronized (MemoryFrontier.this) {
                    inFlight.remove(task);
                }
                if (recorded) {
                    finished.incrementAndGet();
                }
                drain();
            });
        }
    }

    @Override
    public Mono<Boolean> claimPage(long maxPages) {
        return Mono.fromSupplier(() -> pages.incrementAndGet() <= maxPages);
    }

    @Override
    public Mono<Void> unclaimPage() {
        return Mono.fromRunnable(pages::decrementAndGet);
    }

    @Override
    public Mono<Void> politeness(String host, Duration delay) {
        if (delay.isZero()) {
            return Mono.empty();
        }
        return Mono.defer(() -> {
            long now = System.nanoTime();
            long[] slot = new long[1];
            nextSlot.compute(host, (h, next) -> {
                slot[0] = next == null ? now : Math.max(now, next);
                return slot[0] + delay.toNanos();
            });
            long wait = slot[0] - now;
            return wait <= 0 ? Mono.<Void>empty() : Mono.delay(Duration.ofNanos(wait)).then();
        }).then(Mono.defer(() -> admit(host, delay.toNanos())));
    }

    /**
     * Lets a fetch of {@code host} start only {@code delay} after the last one actually started: the reserved slots
     * are {@code delay} apart, but a timer that fires late (a busy machine) would bring the next fetch closer.
     */
    private Mono<Void> admit(String host, long delay) {
        long now = System.nanoTime();
        long[] wait = new long[1];
        lastStart.compute(host, (h, last) -> {
            if (last != null && now - last < delay) {
                wait[0] = last + delay - now;
                return last;
            }
            return now;
        });
        return wait[0] <= 0 ? Mono.empty()
                : Mono.delay(Duration.ofNanos(wait[0])).then(Mono.defer(() -> admit(host, delay)));
    }

    @Override
    public synchronized long queued() {
        return queue.size();
    }

    @Override
    public long full() {
        return dropped.get();
    }

    @Override
    public Mono<Long> crawlTotal() {
        return Mono.fromSupplier(finished::get);
    }

    /** What a resume needs: the tasks queued and those in progress, not finished. */
    synchronized List<Task> unfinished() {
        List<Task> left = new ArrayList<>(inFlight.keySet());
        left.addAll(queue);
        return left;
    }

    @Override
    public Mono<Void> close() {
        return Mono.fromRunnable(() -> {
            synchronized (this) {
                closed = true;
            }
        });
    }
}
