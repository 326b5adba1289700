package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.data.redis.RedisStore;
import dev.reactivekit.data.sql.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** {@code demo}, the main job, run as a newcomer runs it: its report, its exit code, and what it leaves behind. */
class DemoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PARTS = List.of("servers", "fetch", "download", "crawl", "pipeline", "ingest",
            "chat", "jobs");

    @Test
    void onEmbeddedServersEveryPartPassesAndNothingIsLeftBehind() throws IOException {
        Set<Path> before = demoDirectories();
        Cli.Result result = Cli.run("demo", "--no-progress");
        assertThat(result.exit()).as(result.out() + result.err()).isZero();
        for (String part : PARTS) {
            assertThat(result.out()).as(part).containsPattern("(?m)^" + part + "\\s+ok\\s");
        }
        assertThat(result.out())
                .contains("8 of 8 parts ok")
                .contains("embedded servers stopped, temp files deleted")
                .contains("a 404 not retried")
                .contains("resumed with bytes=")
                .contains("each page once")
                .contains("no duplicates")
                .contains("2 members counted")
                .contains("one result per job")
                .doesNotContain("FAILED");
        assertThat(demoDirectories()).as("the demo's temp directory is deleted").isEqualTo(before);
    }

    @Test
    void onGivenServersItDeletesItsDataAndReportsInJson() throws IOException {
        String redis = TestRedisServer.url();
        String pg = TestPostgresServer.url();
        Cli.Result result = Cli.run("demo", "--json", "--no-progress", "--pg", pg, "--redis", redis);
        assertThat(result.exit()).as(result.out() + result.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : result.out().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(PARTS.size() + 1);
        assertThat(lines.subList(0, PARTS.size())).extracting(l -> l.get("part").asText()).isEqualTo(PARTS);
        assertThat(lines.subList(0, PARTS.size())).allSatisfy(l -> assertThat(l.get("verdict").asText())
                .as(l.toString()).isEqualTo("ok"));
        JsonNode summary = lines.get(PARTS.size());
        assertThat(summary.get("ok").asInt()).isEqualTo(PARTS.size());
        assertThat(summary.get("interrupted").asBoolean()).isFalse();
        List<String> keys = Mono.usingWhen(RedisStore.connect(redis), s -> s.scan("*demo-*").collectList(),
                RedisStore::close).block(Duration.ofSeconds(30));
        assertThat(keys).as("the demo's Redis keys are deleted").isEmpty();
        Long tables = Mono.usingWhen(Database.connect(pg),
                db -> db.queryOne("SELECT count(*) AS n FROM pg_tables WHERE tablename LIKE 'demo_users_%'")
                        .map(r -> r.getLong("n")), Database::close).block(Duration.ofSeconds(30));
        assertThat(tables).as("the demo's table is dropped").isZero();
    }

    @Test
    void ctrlCStopsThePartRunningSkipsTheRestAndCleansUp() throws IOException {
        Set<Path> before = demoDirectories();
        Cli.Running demo = Cli.start("demo");
        assertThat(demo.printedErr("[3/8] download", Duration.ofSeconds(60))).as(demo.err()).isTrue();
        Cli.Result result = demo.interrupt().await(Duration.ofSeconds(60));
        assertThat(result.exit()).as(result.out() + result.err()).isEqualTo(130);
        assertThat(result.out())
                .containsPattern("(?m)^servers\\s+ok\\s")
                .containsPattern("(?m)^download\\s+stopped\\s.*stopped by Ctrl-C")
                .containsPattern("(?m)^jobs\\s+not run\\s+stopped by Ctrl-C before it began")
                .contains("(stopped by Ctrl-C); embedded servers stopped, temp files deleted");
        assertThat(demoDirectories()).isEqualTo(before);
    }

    @Test
    void badServerUrlsAreOneLineErrors() {
        Cli.Result scheme = Cli.run("demo", "--redis", "http://127.0.0.1:6379");
        assertThat(scheme.exit()).isEqualTo(2);
        assertThat(scheme.err()).contains("--redis must be a redis:// or rediss:// URL");
        Cli.Result pg = Cli.run("demo", "--pg", "mysql://127.0.0.1/x");
        assertThat(pg.exit()).isEqualTo(2);
        assertThat(pg.err()).contains("--pg must be a postgresql:// URL");
        Cli.Result unreachable = Cli.run("demo", "--no-progress", "--pg", "postgresql://postgres@127.0.0.1:1/test",
                "--redis", "redis://127.0.0.1:1");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.out()).containsPattern("(?m)^servers\\s+FAILED\\s.*127\\.0\\.0\\.1:1")
                .containsPattern("(?m)^jobs\\s+not run\\s+the servers did not start")
                .contains("0 of 8 parts ok").doesNotContain("\tat ");
    }

    private static Set<Path> demoDirectories() throws IOException {
        try (Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(p -> p.getFileName().toString().startsWith("reactivekit-demo-")).collect(Collectors.toSet());
        }
    }
}
