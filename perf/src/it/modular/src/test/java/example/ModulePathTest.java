package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Launches {@link Main} the way a user does, {@code java --module-path ... --module example/example.Main}, in a
 * JVM of its own: only the modules the module-info files require are resolved there, so a missing
 * {@code requires} fails it (inside this test JVM, every module on the path is resolved).
 */
class ModulePathTest {

    @Test
    void theApplicationRunsOnTheModulePath() throws IOException, InterruptedException {
        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && !modulePath.isEmpty(), "the test runs on the module path");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process run = new ProcessBuilder(List.of(java, "--module-path", modulePath, "--module", "example/example.Main"))
                .redirectErrorStream(true).start();
        boolean ended = run.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            run.destroyForcibly();
        }
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "the application ended in time:\n" + output);
        assertEquals(0, run.exitValue(), output);
        assertTrue(output.contains("on the module path: hello, Answer[n=42, word=yes], module dev.reactivekit.data"),
                output);
    }
}
