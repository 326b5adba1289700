package dev.reactivekit.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.reactivekit.core.testing.LogCapture;
import dev.reactivekit.core.testing.NettyLeakDetectionExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Proves that the build catches buffer leaks: every test JVM runs Netty's detector at paranoid level, and
 * the auto-registered {@link NettyLeakDetectionExtension} turns its LEAK reports into a failed test class.
 */
class LeakDetectionTest {

    @Test
    void testJvmsRunTheLeakDetectorAtParanoidLevel() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void aTestClassThatLeaksABufferFails() {
        try (LogCapture quiet = LogCapture.of(ResourceLeakDetector.class)) {
            Events classes = EngineTestKit.engine("junit-jupiter")
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                    .selectors(selectClass(LeakingClass.class))
                    .execute()
                    .containerEvents();
            classes.assertStatistics(stats -> stats.failed(1));
            assertThat(classes.failed().stream().findFirst().orElseThrow()
                    .getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable())
                    .get().asString().contains("Netty reported", "leaked buffer", "LEAK:");
            assertThat(quiet.lines()).anySatisfy(line -> assertThat(line).startsWith("ERROR LEAK:"));
        }
    }

    @Test
    void releasedBuffersAreNotReported() {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(16);
        buf.writeInt(42);
        buf.release();
        assertThat(NettyLeakDetectionExtension.collectLeaks()).isEmpty();
    }

    /** Run only through the test kit above: its name keeps surefire from picking it up on its own. */
    static class LeakingClass {
        @Test
        void leaksOneBuffer() {
            ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(64);
            leaked.writeLong(7);
            // dropped without release()
        }
    }
}
