package dev.reactivekit.showcase.crawl;

import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The URLs of one crawl still to fetch, and the memory of every URL it has seen, so each page is fetched at most
 * once: in this process ({@link MemoryFrontier}) or shared by every process of the crawl through Redis
 * ({@link RedisFrontier}).
 */
interface Frontier {

    /** A URL to fetch, at its depth from the seeds. */
    record Task(String url, int depth) {
    }

    /** A task handed to this process: {@link #done} once it is finished, whatever came of it. */
    interface Lease {
        Task task();

        /** {@code recorded}: a record of it was written (a page, fetched or not), counted in {@link #crawlTotal()}. */
        Mono<Void> done(boolean recorded);
    }

    /**
     * Adds the tasks whose URL this crawl has not seen yet; emits how many were added. URLs over the frontier's
     * capacity are dropped and counted in {@link #full()}.
     */
    Mono<Integer> add(List<Task> tasks);

    /** Marks a URL seen without queueing it (the final URL of a redirect, fetched already). */
    Mono<Void> markSeen(String url);

    /**
     * The tasks for this process, as its workers ask for them; completes once the crawl is done: nothing queued
     * and nothing in progress anywhere.
     */
    Flux<Lease> leases();

    /** Claims the right to fetch one more page under {@code --max-pages}; false once the crawl has them all. */
    Mono<Boolean> claimPage(long maxPages);

    /** Gives back a claim whose page was not fetched after all (the crawl was stopped during its fetch). */
    Mono<Void> unclaimPage();

    /** Waits for {@code host}'s turn: at least {@code delay} after the last fetch from it, in any process. */
    Mono<Void> politeness(String host, Duration delay);

    /** URLs queued now. */
    long queued();

    /** URLs dropped because the frontier was full. */
    long full();

    /** Pages the whole crawl has recorded (every process), for the summary. */
    Mono<Long> crawlTotal();

    /** Stops handing out tasks; what this process holds and did not finish goes back for others (or a resume). */
    Mono<Void> close();
}
