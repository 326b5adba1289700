package dev.reactivekit.showcase.crawl;

import dev.reactivekit.core.Concurrency;
import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.StatusException;
import dev.reactivekit.io.http.FetchResult;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.HttpRequest;
import dev.reactivekit.showcase.cli.Errors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * The crawl: frontier, then per-host politeness, then workers ({@link HttpFetcher}, bounded in all and per
 * host), then the parser, then page records out and new links back into the frontier; one Reactor pipeline
 * with backpressure, so no stage runs ahead of the workers.
 */
final class Crawler {

    /** What a crawl is asked to do. */
    record Settings(List<Frontier.Task> seeds, long maxPages, int maxDepth, int concurrency, int perHost, Duration delay,
            int maxLinksPerPage) {
    }

    private final Settings settings;
    private final HttpFetcher http;
    private final Robots robots;
    private final UrlRules rules;
    private final Frontier frontier;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Links met so far, as written (absolute), up to {@link #MAX_REMEMBERED_LINKS}. */
    private final java.util.Set<String> metLinks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Writes, acknowledgements and page claims under way, which a stop lets finish. */
    private final java.util.Set<CompletableFuture<?>> finishing = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Links remembered as met at most; past it every link is normalized and offered, as before. */
    static final int MAX_REMEMBERED_LINKS = 1_000_000;

    Crawler(Settings settings, HttpFetcher http, Robots robots, UrlRules rules, Frontier frontier) {
        this.settings = settings;
        this.http = http;
        this.robots = robots;
        this.rules = rules;
        this.frontier = frontier;
    }

    int inFlight() {
        return inFlight.get();
    }

    /**
     * The pages, as they are done; completes when the crawl is. Seeds are added first (already seen ones are not).
     * Each page goes through {@code output} before its task is marked done, so a process killed at any point
     * leaves no page marked done that was not written.
     */
    Flux<PageRecord> run(Function<PageRecord, Mono<Void>> output) {
        Concurrency<Frontier.Lease> limits = Concurrency.perKey(settings.concurrency(),
                lease -> UrlRules.host(lease.task().url()), settings.perHost());
        return frontier.add(settings.seeds()).thenMany(Flux.defer(() ->
                limits.flatMap(frontier.leases(), lease -> crawl(lease, output))));
    }

    private Mono<PageRecord> crawl(Frontier.Lease lease, Function<PageRecord, Mono<Void>> output) {
        Frontier.Task task = lease.task();
        return visit(task)
                .flatMap(page -> finishing(output.apply(page).then(lease.done(true))).thenReturn(page))
                .switchIfEmpty(lease.done(false).then(Mono.empty()));
    }

    /**
     * {@code work}, run to its end even when the crawl is stopped meanwhile: a page handed to the output is written
     * whole and marked done, so a stopped crawl neither cuts a line short nor fetches a written page again when
     * resumed. {@link #settle} waits for what is still running.
     */
    private Mono<Void> finishing(Mono<Void> work) {
        return Mono.fromFuture(track(work.toFuture()), true);
    }

    private <T> CompletableFuture<T> track(CompletableFuture<T> running) {
        finishing.add(running);
        running.whenComplete((v, e) -> finishing.remove(running));
        return running;
    }

    /**
     * A claim of a page under {@code --max-pages}. The claim is made whatever happens (a stop cannot take back a
     * command already sent to Redis); one that arrives after the crawl was stopped is given back.
     */
    private Mono<Boolean> claimPage() {
        return Mono.defer(() -> {
            CompletableFuture<Boolean> claim = track(frontier.claimPage(settings.maxPages()).toFuture());
            AtomicBoolean delivered = new AtomicBoolean();
            return Mono.fromFuture(claim, true)
                    .doOnNext(claimed -> delivered.set(true))
                    .doFinally(signal -> {
                        if (signal == SignalType.CANCEL && !delivered.get()) {
                            track(claim.thenCompose(claimed -> claimed ? frontier.unclaimPage().toFuture()
                                    : CompletableFuture.<Void>completedFuture(null)));
                        }
                    });
        });
    }

    /** Completes once the writes, acknowledgements and claims still running when the crawl stopped are done. */
    Mono<Void> settle() {
        return Mono.fromFuture(CompletableFuture.allOf(finishing.toArray(new CompletableFuture<?>[0])), true)
                .onErrorResume(e -> Mono.empty());
    }

    /**
     * Robots, a page of {@code --max-pages} (none left: nothing is fetched), politeness, fetch, parse; the links
     * found go to the frontier before the page is done.
     */
    private Mono<PageRecord> visit(Frontier.Task task) {
        String url = task.url();
        String host = UrlRules.host(url);
        return robots.rulesFor(url).flatMap(robotRules -> {
            if (!robotRules.isAllowed(url)) {
                String failure = robots.failure(url);
                return Mono.just(failure != null ? skipped(task, failure, "RobotsUnavailable")
                        : skipped(task, "disallowed by robots.txt", "RobotsDisallowed"));
            }
            Duration delay = max(settings.delay(), Robots.crawlDelay(robotRules));
            // A claim whose fetch is cancelled (the crawl stopped) is given back, for the rest of the crawl; not
            // once the page is fetched: a cancel can come after that, while the page is being written.
            return claimPage().flatMap(claimed -> {
                if (!claimed) {
                    return Mono.<PageRecord>empty();
                }
                AtomicBoolean fetched = new AtomicBoolean();
                return frontier.politeness(host, delay).then(fetch(task))
                        .doOnNext(page -> fetched.set(true))
                        .doFinally(signal -> {
                            if (signal == SignalType.CANCEL && !fetched.get()) {
                                track(frontier.unclaimPage().toFuture());
                            }
                        });
            });
        });
    }

    private Mono<PageRecord> fetch(Frontier.Task task) {
        long t0 = System.nanoTime();
        String fetchedAt = Instant.now().toString();
        return Mono.defer(() -> {
                    inFlight.incrementAndGet();
                    return http.send(HttpRequest.get(task.url()));
                })
                .doFinally(s -> inFlight.decrementAndGet())
                .flatMap(result -> page(task, result, t0, fetchedAt))
                .onErrorResume(e -> Mono.just(failed(task, e, t0, fetchedAt)));
    }

    private Mono<PageRecord> page(Frontier.Task task, FetchResult result, long t0, String fetchedAt) {
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        // A task's URL is in normal form already; only a redirect's target needs normalizing.
        String finalUrl = result.url().equals(task.url()) ? task.url() : rules.normalize(result.url());
        if (finalUrl == null || !rules.allows(finalUrl)) {
            return Mono.just(new PageRecord(task.url(), result.url(), result.status(), task.depth(), null, 0,
                    result.length(), elapsed, fetchedAt, "redirected outside the crawl's hosts", "OutOfScope"));
        }
        String type = result.headers().first("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        Mono<Void> seenFinal = finalUrl.equals(task.url()) ? Mono.empty() : frontier.markSeen(finalUrl);
        if (!type.startsWith("text/html")) {
            return seenFinal.thenReturn(new PageRecord(task.url(), finalUrl, result.status(), task.depth(), null, 0,
                    result.length(), elapsed, fetchedAt, null, null));
        }
        HtmlPage html = HtmlPage.parse(new String(result.body(), charset(type)), finalUrl, settings.maxLinksPerPage());
        List<Frontier.Task> next = new ArrayList<>();
        if (task.depth() < settings.maxDepth()) {
            for (String link : html.links()) {
                // A link this process has met before, as written, was normalized and offered then: most links of
                // a site are met again and again, and normalizing (and asking the frontier) is the costly part.
                if (!firstMeeting(link)) {
                    continue;
                }
                String normal = rules.normalize(link);
                if (normal != null && rules.allows(normal)) {
                    next.add(new Frontier.Task(normal, task.depth() + 1));
                }
            }
        }
        PageRecord record = new PageRecord(task.url(), finalUrl, result.status(), task.depth(),
                html.index() ? html.title() : null, html.links().size(), result.length(), elapsed, fetchedAt, null, null);
        return seenFinal.then(frontier.add(next)).thenReturn(record);
    }

    private boolean firstMeeting(String link) {
        if (metLinks.contains(link)) {
            return false;
        }
        if (metLinks.size() < MAX_REMEMBERED_LINKS) {
            metLinks.add(link);
        }
        return true;
    }

    private static java.nio.charset.Charset charset(String contentType) {
        int at = contentType.indexOf("charset=");
        if (at >= 0) {
            try {
                return java.nio.charset.Charset.forName(contentType.substring(at + 8).split("[;\\s]")[0].replace("\"", ""));
            } catch (IllegalArgumentException e) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static PageRecord skipped(Frontier.Task task, String why, String kind) {
        return new PageRecord(task.url(), null, null, task.depth(), null, 0, 0, 0, Instant.now().toString(), why, kind);
    }

    private static PageRecord failed(Frontier.Task task, Throwable error, long t0, String fetchedAt) {
        Throwable e = Errors.unwrap(error);
        Integer status = null;
        for (Throwable c = e; c != null && status == null; c = c.getCause() == c ? null : c.getCause()) {
            status = c instanceof StatusException s ? s.status() : null;
        }
        String kind = e instanceof LimitExceededException ? "BodyTooLarge" : Errors.kind(e);
        return new PageRecord(task.url(), null, status, task.depth(), null, 0, 0,
                (System.nanoTime() - t0) / 1_000_000, fetchedAt, Errors.withoutRequest(e), kind);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
