package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.Version;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The versions a plain consumer of ReactiveKit gets are the ones ReactiveKit is tested with. */
class VersionsTest {

    @Test
    void everyNettyArtifactIsThePinnedOne() {
        String expected = System.getProperty("expected.netty");
        Map<String, String> found = new TreeMap<>();
        Version.identify().forEach((artifact, version) -> found.put(artifact, version.artifactVersion()));
        assertTrue(found.containsKey("netty-handler"), "Netty reports its artifacts: " + found);
        found.forEach((artifact, version) -> assertEquals(expected, version, artifact + " (all: " + found + ")"));
    }

    @Test
    void reactorPoolIsThePinnedOne() {
        String jar = reactor.pool.Pool.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        String expected = System.getProperty("expected.reactorPool");
        assertTrue(jar.endsWith("/reactor-pool-" + expected + ".jar"), "reactor-pool comes from " + jar);
    }
}
