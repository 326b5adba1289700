package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CoreDemoTest {

    @Test
    void theTourRunsEveryScenarioAndPrintsItsResults() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        CoreDemo demo = new CoreDemo(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int exit = new CommandLine(demo).execute("--unit-ms", "5");
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(printed)
                .contains("[a, b, c]")
                .contains("[x, y, error(no boom), z]")
                .contains("12 done, at most 4 at once")
                .contains("task group failed: child broke; sibling cancelled")
                .contains("ok after 3 attempts")
                .contains("request exceeded its deadline of 15ms")
                .contains("10 consumed in order, queue never above 3")
                .doesNotContain("FAILED");
    }

    @Test
    void mainCommandListsTheDemo() {
        String usage = new CommandLine(new Main()).getUsageMessage();
        assertThat(usage).contains("core-demo");
    }
}
