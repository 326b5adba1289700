package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoreDemoTest {

    @Test
    void theTourRunsEveryScenarioAndPrintsItsResults() {
        Cli.Result result = Cli.run("core-demo", "--unit-ms", "5");
        assertThat(result.exit()).isZero();
        assertThat(result.out())
                .contains("[a, b, c]")
                .contains("[x, y, error(no boom), z]")
                .contains("12 done, at most 4 at once")
                .contains("task group failed: child broke; sibling cancelled")
                .contains("ok after 3 attempts")
                .contains("request exceeded its deadline of 15ms")
                .contains("10 consumed in order, queue never above 3")
                .doesNotContain("FAILED");
    }
}
