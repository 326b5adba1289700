package dev.reactivekit.showcase.crawl;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import dev.reactivekit.core.StatusException;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.HttpRequest;
import dev.reactivekit.showcase.cli.Errors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * robots.txt, fetched once per host and cached for the crawl (parsed by crawler-commons, leniently). As RFC 9309
 * says: a 4xx robots.txt allows everything, a 5xx or one that cannot be fetched (timeout, refused) disallows
 * everything on that host.
 */
final class Robots {

    private final HttpFetcher http;
    private final String agent;
    private final Map<String, Mono<BaseRobotRules>> byOrigin = new ConcurrentHashMap<>();
    private final AtomicLong fetched = new AtomicLong();
    /** Why a host's robots.txt disallows everything, when it is because it could not be had. */
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final SimpleRobotRulesParser parser = new SimpleRobotRulesParser();

    Robots(HttpFetcher http, String agent) {
        this.http = http;
        this.agent = agent;
    }

    /** The rules for {@code url}'s host, fetched at the first ask. */
    Mono<BaseRobotRules> rulesFor(String url) {
        String origin = UrlRules.origin(url);
        return byOrigin.computeIfAbsent(origin, o -> fetch(o).cache());
    }

    /** How many robots.txt files were fetched. */
    long fetched() {
        return fetched.get();
    }

    private Mono<BaseRobotRules> fetch(String origin) {
        String url = origin + "/robots.txt";
        return http.send(HttpRequest.get(url).timeout(Duration.ofSeconds(10)))
                .doOnSubscribe(s -> fetched.incrementAndGet())
                .map(r -> (BaseRobotRules) parser.parseContent(url, r.body(),
                        r.headers().first("Content-Type").orElse("text/plain"), List.of(agent)))
                .onErrorResume(e -> Mono.just(failed(origin, e)));
    }

    private BaseRobotRules failed(String origin, Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof StatusException s) {
                if (s.status() >= 500) {
                    failures.put(origin, "robots.txt answered " + s.status() + ": the host is skipped");
                }
                return parser.failedFetch(s.status());
            }
        }
        failures.put(origin, "robots.txt could not be fetched (" + Errors.withoutRequest(error) + "): the host is skipped");
        return new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_NONE);
    }

    /** Why {@code url}'s host is skipped when its robots.txt could not be had (5xx, unreachable); null otherwise. */
    String failure(String url) {
        return failures.get(UrlRules.origin(url));
    }

    /** The crawl delay robots.txt asks for; zero when it asks none. */
    static Duration crawlDelay(BaseRobotRules rules) {
        long ms = rules.getCrawlDelay();
        return ms == BaseRobotRules.UNSET_CRAWL_DELAY || ms <= 0 ? Duration.ZERO : Duration.ofMillis(ms);
    }
}
