package dev.reactivekit.showcase.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.testing.Poll;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.RunningService;
import dev.reactivekit.showcase.HttpBinService;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/** A crawl stopped while pages are being written (what Ctrl-C does): what was handed to the output is finished. */
class CrawlerStopTest {

    private RunningService bin;
    private HttpFetcher http;

    @BeforeEach
    void start() {
        bin = new HttpBinService(List.of()).service("127.0.0.1", 0).build().start().block(Duration.ofSeconds(30));
        http = HttpFetcher.builder().build();
    }

    @AfterEach
    void stop() {
        http.close().block(Duration.ofSeconds(10));
        bin.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
    }

    @Test
    void pagesBeingWrittenWhenTheCrawlStopsAreWrittenAndDoneAndCancelledFetchesGiveTheirClaimBack() {
        UrlRules rules = new UrlRules(Set.of(), List.of(), null, null);
        String seed = rules.normalize(bin.url("/links/200/0"));
        rules = new UrlRules(Set.of(UrlRules.host(seed)), List.of(), null, null);
        MemoryFrontier frontier = new MemoryFrontier(10_000);
        // 12 at once, one fetch every 40 ms: when the eighth page starts being written, the other four leases wait
        // their turn (politeness), holding a claim each, and a page is rarely half-received.
        Crawler crawler = new Crawler(new Crawler.Settings(List.of(new Frontier.Task(seed, 0)), 200, 10, 12, 12,
                Duration.ofMillis(40), 10_000), http, new Robots(http, "test"), rules, frontier);
        Set<String> started = ConcurrentHashMap.newKeySet();
        Set<String> written = ConcurrentHashMap.newKeySet();

        // A slow output: each page takes 300 ms to write, so the stop comes while several are being written.
        Disposable crawl = crawler.run(page -> Mono.delay(Duration.ofMillis(300))
                        .doOnSubscribe(s -> started.add(page.url()))
                        .then(Mono.fromRunnable(() -> written.add(page.url()))))
                .subscribe();
        assertThat(Poll.until(() -> started.size() >= 8)).as("writes under way").isTrue();
        crawl.dispose();
        crawler.settle().block(Duration.ofSeconds(10));

        assertThat(written).as("every page handed to the output was written").containsExactlyInAnyOrderElementsOf(
                Set.copyOf(started));
        assertThat(frontier.unfinished()).as("no written page is left to fetch again on --resume")
                .extracting(Frontier.Task::url).doesNotContainAnyElementsOf(written);
        // Claims of --max-pages: the written pages only (the fetches cut short gave theirs back).
        long claims = written.size();
        assertThat(frontier.claimPage(claims + 1).block()).isTrue();
        assertThat(frontier.claimPage(claims + 1).block()).isFalse();
    }
}
