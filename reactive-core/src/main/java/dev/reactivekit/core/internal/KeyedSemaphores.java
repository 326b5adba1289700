package dev.reactivekit.core.internal;

import dev.reactivekit.core.sync.AsyncSemaphore;
import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * One {@link AsyncSemaphore} per key, created on first use and dropped when nobody holds or waits for it, so
 * that a stream over millions of distinct keys (hosts, users) keeps only the active ones in memory. Internal.
 */
public final class KeyedSemaphores {

    private final int permitsPerKey;
    private final Map<Object, Entry> entries = new HashMap<>();

    public KeyedSemaphores(int permitsPerKey) {
        this.permitsPerKey = Checks.positive(permitsPerKey, "permitsPerKey");
    }

    /** Streams {@code work} holding one of {@code key}'s permits. */
    public <T> Flux<T> withPermit(Object key, Flux<T> work) {
        return Flux.defer(() -> {
            Entry entry = retain(key);
            return entry.semaphore.withPermit(work).doFinally(signal -> release(key, entry));
        });
    }

    /** Keys that currently have a holder or a waiter. */
    public int activeKeys() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private Entry retain(Object key) {
        synchronized (entries) {
            Entry entry = entries.computeIfAbsent(key, k -> new Entry(
                    // Bounded by the fan-out that holds the keys (Concurrency's maxBuffered), not here.
                    AsyncSemaphore.builder(permitsPerKey).maxWaiters(Integer.MAX_VALUE).maxWait(null).build()));
            entry.users++;
            return entry;
        }
    }

    private void release(Object key, Entry entry) {
        synchronized (entries) {
            if (--entry.users == 0) {
                entries.remove(key, entry);
            }
        }
    }

    private static final class Entry {
        final AsyncSemaphore semaphore;
        int users;

        Entry(AsyncSemaphore semaphore) {
            this.semaphore = semaphore;
        }
    }
}
