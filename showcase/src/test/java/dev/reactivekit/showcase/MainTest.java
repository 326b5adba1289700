package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The conventions every command keeps: usage, exit codes, one-line errors. */
class MainTest {

    @Test
    void withoutACommandTheUsageListsEveryCommand() {
        Cli.Result result = Cli.run();
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("core-demo", "httpbin", "fetch", "Exit codes");
    }

    @Test
    void anUnknownCommandIsBadUsageInOneLineAndAHint() {
        Cli.Result result = Cli.run("fecth", "http://127.0.0.1/");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: Unmatched arguments from index 0: 'fecth'")
                .contains("try 'reactivekit --help'")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void anUnknownOptionIsBadUsage() {
        Cli.Result result = Cli.run("fetch", "--bogus", "http://127.0.0.1/");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("error: Unknown option: '--bogus'").contains("try 'reactivekit fetch --help'");
    }

    @Test
    void everyCommandsHelpShowsItsOptionsWithTheirDefaults() {
        Cli.Result result = Cli.run("fetch", "--help");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("--concurrency", "Default: 10", "--timeout", "Default: 10s");
    }

    @Test
    void aBadDurationIsBadUsageNamingTheValue() {
        Cli.Result result = Cli.run("fetch", "--timeout", "soon", "http://127.0.0.1/");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("'soon' is not a duration");
    }
}
