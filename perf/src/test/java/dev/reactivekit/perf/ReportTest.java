package dev.reactivekit.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run writes, from samples whose medians and ratios are known by hand. */
class ReportTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    static Report report() {
        Measurements m = new Measurements();
        // ours 10, 30, 20 (median 20); the baseline 20, 20, 40 (median 20): round by round 0.5, 1.5, 0.5
        m.add("ours", 10);
        m.add("base", 20);
        m.add("ours", 30);
        m.add("base", 20);
        m.add("ours", 20);
        m.add("base", 40);
        Measurements t = new Measurements();
        t.add("way", 2.0); // seconds: less is better, against an ideal of 1 s
        Report report = new Report("./reactivekit perf test");
        report.add(m.toCase("net", "one case", "ops/s", List.of("ours", "base")));
        report.add(t.toCase("net", "a time", "s", false, null, List.of("way"), Map.of("way", 1.0), List.of("a note")));
        return report;
    }

    @Test
    void mediansAndRoundByRoundRatiosAreTheMeasuredOnes() {
        Report.Case c = report().cases().get(0);
        assertThat(c.series("ours").median()).isEqualTo(20);
        assertThat(c.series("base").min()).isEqualTo(20);
        assertThat(c.series("base").max()).isEqualTo(40);
        assertThat(c.speedups("base")).containsExactly(0.5, 1.5, 0.5);
        assertThat(c.speedup("base")).isEqualTo(0.5);
        assertThat(c.baselines()).extracting(Report.Series::name).containsExactly("base");
    }

    @Test
    void aTimeIsFasterWhenSmaller() {
        Measurements m = new Measurements();
        m.add("ours", 1.0);
        m.add("base", 3.0);
        Report.Case c = m.toCase("x", "t", "s", false, "ours", List.of("ours", "base"), Map.of(), List.of());
        assertThat(c.speedup("base")).isEqualTo(3.0);
    }

    @Test
    void writesJsonLinesMarkdownAndChartsOfEveryCase() throws Exception {
        Report report = report();
        report.write(dir);
        List<String> lines = Files.readAllLines(dir.resolve("results.jsonl"));
        assertThat(lines).hasSize(3);
        JsonNode base = new ObjectMapper().readTree(lines.get(1));
        assertThat(base.path("scenario").asText()).isEqualTo("net");
        assertThat(base.path("series").asText()).isEqualTo("base");
        assertThat(base.path("ours").asBoolean()).isFalse();
        assertThat(base.path("median").asDouble()).isEqualTo(20);
        assertThat(base.path("samples")).hasSize(3);
        assertThat(base.path("ours_speedup_paired").asDouble()).isCloseTo(0.5, Offset.offset(1e-12));
        JsonNode way = new ObjectMapper().readTree(lines.get(2));
        assertThat(way.path("ideal").asDouble()).isEqualTo(1.0);
        String md = Files.readString(dir.resolve("results.md"), StandardCharsets.UTF_8);
        assertThat(md).contains("`./reactivekit perf test`", "## net", "### net 1: one case", "| **ours** | 20.000 | 10.000-30.000 | |",
                "| base | 20.000 | 20.000-40.000 | 0.50x |", "### net 2: a time", "| way | 2.000 | 2.000-2.000 | 1.000 | 2.00x |",
                "a note", "(charts/net-1.png)", "(charts/net-2.png)", "(charts/net-speedup.png)", "cores", "JDK", "Lettuce");
        for (String png : List.of("net-1.png", "net-2.png", "net-speedup.png")) {
            byte[] bytes = Files.readAllBytes(dir.resolve("charts").resolve(png));
            assertThat(Arrays.copyOf(bytes, 4)).as(png).isEqualTo(PNG);
        }
    }

    @Test
    void theSummaryElsewhereLinksTheChartsOfItsResultsDirectory() throws Exception {
        Report report = report();
        Path results = dir.resolve("results/2026-12-03/all");
        report.write(results);
        Path summary = dir.resolve("RESULTS.md");
        report.writeMarkdown(summary, results);
        assertThat(Files.readString(summary)).contains("(results/2026-12-03/all/charts/net-1.png)",
                "(results/2026-12-03/all/charts/net-speedup.png)");
    }
}
