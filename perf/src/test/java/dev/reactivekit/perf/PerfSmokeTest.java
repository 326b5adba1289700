package dev.reactivekit.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.showcase.cli.Console;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Each scenario of the harness, run tiny, as {@code ./reactivekit perf} runs it: it completes, and what it prints
 * is what it says. Times are checked only against what cannot be otherwise (four requests one after another cannot
 * take less than four delays), never against a speed.
 */
class PerfSmokeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exit, String out, String err) {

        List<JsonNode> lines() {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    try {
                        lines.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new UncheckedIOException("not a JSON line: " + line, e);
                    }
                }
            }
            return lines;
        }
    }

    static Result perf(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int exit = Perf.run(console, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void seedRunsTheThreeWaysOfTheSeedsExperimentAndReportsEach() {
        Result r = perf("seed", "--requests", "4", "--delay", "50ms", "--limit", "2", "--rounds", "1",
                "--warmup", "0", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> ways = r.lines();
        assertThat(ways).extracting(w -> w.path("way").asText()).containsExactly("sync", "async", "limited");
        assertThat(ways).extracting(w -> w.path("at_once").asInt()).containsExactly(1, 4, 2);
        assertThat(ways).extracting(w -> w.path("expected_s").asDouble()).containsExactly(0.2, 0.05, 0.1);
        for (JsonNode way : ways) {
            assertThat(way.path("requests").asInt()).isEqualTo(4);
            assertThat(way.path("median_s").asDouble()).as("%s", way)
                    .isGreaterThanOrEqualTo(way.path("expected_s").asDouble())
                    .isEqualTo(way.path("min_s").asDouble()); // one round: median, min and max are that round
            assertThat(way.path("ratio_to_expected").asDouble())
                    .isEqualTo(way.path("median_s").asDouble() / way.path("expected_s").asDouble());
        }
    }

    @Test
    void seedPrintsTheSeedsTableForPeople() {
        Result r = perf("seed", "--requests", "2", "--delay", "20ms", "--rounds", "1", "--warmup", "0");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 requests, each answered after", "sync: one by one, blocking",
                "async: all 2 at once", "async, limited to 5 at a time", "vs expected");
    }

    @Test
    void fanoutRunsEveryWayWithoutErrorsAndNeverFasterThanItsLimitAllows() {
        Result r = perf("fanout", "--requests", "60", "--concurrency", "20", "--threads", "10", "--delay", "20ms",
                "--rounds", "1", "--warmup", "0", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> lines = r.lines();
        List<String> expected = Runtime.version().feature() >= 21
                ? List.of("HttpFetcher.fetchAll", "Reactor Netty HttpClient flatMap",
                        "JDK HttpClient, virtual threads", "JDK HttpClient, thread pool")
                : List.of("HttpFetcher.fetchAll", "Reactor Netty HttpClient flatMap", "JDK HttpClient, thread pool");
        List<JsonNode> ways = lines.subList(0, lines.size() - 1);
        assertThat(ways).extracting(w -> w.path("way").asText()).containsExactlyElementsOf(expected);
        for (JsonNode way : ways) {
            int atOnce = way.path("way").asText().endsWith("thread pool") ? 10 : 20;
            assertThat(way.path("at_once").asInt()).isEqualTo(atOnce);
            assertThat(way.path("ideal_s").asDouble()).isCloseTo(60.0 / atOnce * 0.02, Offset.offset(1e-9));
            // At most at_once GETs at a time, each taking 20 ms: no run can be shorter than the ideal.
            assertThat(way.path("median_s").asDouble()).as("%s", way)
                    .isGreaterThanOrEqualTo(way.path("ideal_s").asDouble());
        }
        assertThat(lines.get(lines.size() - 1).path("errors").asLong()).as("responses that were not 200").isZero();
    }

    @Test
    void jmhPassesItsArgumentsToJmhWhichListsTheCoreBenchmarks() throws Exception {
        // JMH prints to System.out: the list of the benchmarks compiled into this module.
        PrintStream stdout = System.out;
        ByteArrayOutputStream listed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(listed, true, StandardCharsets.UTF_8));
        Result r;
        try {
            r = perf("jmh", "-l", "Semaphore");
        } finally {
            System.setOut(stdout);
        }
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(listed.toString(StandardCharsets.UTF_8)).contains("dev.reactivekit.perf.core.SemaphoreBenchmark")
                .doesNotContain("QueueBenchmark");
    }

    @Test
    void badUsageIsOneLineAndExitTwo() {
        Result r = perf("seed", "--delay", "2m");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --delay must be between 1ms and 60.0s");
        assertThat(r.out()).isEmpty();
        Result none = perf("fanout", "--delay", "0ms");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("error: --delay must be between 1ms and 60.0s").contains("not 0");
        Result unknown = perf("nosuch");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument", "nosuch");
    }
}
