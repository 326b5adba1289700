package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.Version;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A project that imports the ReactiveKit BOM gets, for what it names without a version, what ReactiveKit pins. */
class BomTest {

    private static String jarOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation().getPath();
    }

    @Test
    void everyNettyArtifactIsThePinnedOne() {
        String expected = System.getProperty("expected.netty");
        Map<String, String> found = new TreeMap<>();
        Version.identify().forEach((artifact, version) -> found.put(artifact, version.artifactVersion()));
        assertTrue(found.containsKey("netty-handler"), "Netty reports its artifacts: " + found);
        found.forEach((artifact, version) -> assertEquals(expected, version, artifact + " (all: " + found + ")"));
    }

    @Test
    void reactorPoolLettuceAndOurModulesAreThePinnedOnes() {
        String pool = jarOf(reactor.pool.Pool.class);
        assertTrue(pool.endsWith("/reactor-pool-" + System.getProperty("expected.reactorPool") + ".jar"),
                "reactor-pool comes from " + pool);
        String lettuce = jarOf(io.lettuce.core.RedisClient.class);
        assertTrue(lettuce.endsWith("/lettuce-core-" + System.getProperty("expected.lettuce") + ".jar"),
                "lettuce-core comes from " + lettuce);
        String data = jarOf(dev.reactivekit.data.redis.RedisStore.class);
        assertTrue(data.endsWith("/reactive-data-" + System.getProperty("expected.reactiveKit") + ".jar"),
                "reactive-data comes from " + data);
    }
}
