package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code pipeline} through the command line. */
class PipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyItemPutIsTakenOncePerProducerAndConsumer() {
        Cli.Result result = Cli.run("pipeline", "--producers", "4", "--consumers", "3", "--items", "250",
                "--queue-size", "5", "--consumer-delay", "0ms");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("producer 3  250    250")
                .contains("1000 in, 1000 out")
                .contains("queue never above")
                .contains("every item consumed exactly once");
    }

    @Test
    void aSlowConsumerFillsTheQueueToItsCapacityAndNoFurther() throws IOException {
        Cli.Result result = Cli.run("pipeline", "--producers", "2", "--consumers", "1", "--items", "20",
                "--queue-size", "3", "--consumer-delay", "5ms", "--json");
        assertThat(result.exit()).isZero();
        List<JsonNode> lines = result.out().lines().map(PipelineTest::json).toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0).get("produced").asInt()).isEqualTo(20);
        assertThat(lines.get(2).get("consumed").asInt()).isEqualTo(40);
        JsonNode summary = lines.get(3);
        assertThat(summary.get("ok").asBoolean()).isTrue();
        assertThat(summary.get("in").asInt()).isEqualTo(40);
        assertThat(summary.get("max_depth").asInt()).isEqualTo(3);
    }

    @Test
    void ctrlCStopsItAndTheSummarySaysWhatWasLeft() {
        // 300,000 items at 10 ms each would take hours: Ctrl-C right away, wherever the run has got to.
        Cli.Running running = Cli.start("pipeline", "--items", "100000", "--consumer-delay", "10ms");
        Cli.Result result = running.interrupt().await(Duration.ofSeconds(10));
        assertThat(result.exit()).isEqualTo(130);
        assertThat(result.out()).contains("left unconsumed (interrupted)").contains("no item consumed twice");
    }

    @Test
    void badSizesAreUsageErrors() {
        Cli.Result result = Cli.run("pipeline", "--queue-size", "0");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: --producers, --consumers and --queue-size must be at least 1");
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }
}
