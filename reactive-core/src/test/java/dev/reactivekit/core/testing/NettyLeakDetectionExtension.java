package dev.reactivekit.core.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran. Registered for every test class of
 * every module through JUnit's extension auto-detection (see META-INF/services); the test JVMs run with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 * <p>
 * Netty finds a leak when the garbage collector has reclaimed an unreleased buffer and a later allocation polls
 * the detector, then logs an error starting with {@code LEAK:} on the {@code io.netty.util.ResourceLeakDetector}
 * logger. This extension collects those log events; after each test class it runs the collector, allocates a
 * few buffers to make the detector poll, and throws if any report arrived. A leak found after one class may
 * come from an earlier class in the same JVM: the report's access records show where the buffer was used.
 */
public final class NettyLeakDetectionExtension implements AfterAllCallback {

    private static final String DETECTOR_LOGGER = "io.netty.util.ResourceLeakDetector";
    private static final LeakReports REPORTS = install();

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leaked buffer(s) while "
                    + context.getDisplayName() + " ran (or an earlier class in this JVM):\n" + String.join("\n\n", leaks));
        }
    }

    /** Provokes leak detection now and returns (and forgets) the reports collected so far. */
    public static List<String> collectLeaks() {
        Method allocate = nettyAllocate();
        if (allocate != null) {
            // Reference processing after a GC is asynchronous; a few short rounds give it time to enqueue.
            for (int round = 0; round < 5 && REPORTS.isEmpty(); round++) {
                System.gc();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                pollDetector(allocate);
            }
        }
        return REPORTS.drain();
    }

    private static LeakReports install() {
        LeakReports reports = new LeakReports();
        Logger logger = (Logger) LoggerFactory.getLogger(DETECTOR_LOGGER);
        reports.setContext(logger.getLoggerContext());
        reports.start();
        logger.addAppender(reports);
        return reports;
    }

    private static Method nettyAllocate() {
        try {
            Class<?> unpooled = Class.forName("io.netty.buffer.Unpooled");
            return unpooled.getMethod("directBuffer", int.class);
        } catch (ReflectiveOperationException e) {
            return null;   // Netty is not on this module's test class path: nothing can leak.
        }
    }

    private static void pollDetector(Method allocate) {
        try {
            Class<?> util = Class.forName("io.netty.util.ReferenceCountUtil");
            Method release = util.getMethod("release", Object.class);
            for (int i = 0; i < 8; i++) {
                // With leak detection at paranoid level, every allocation polls the detector's queue.
                release.invoke(null, allocate.invoke(null, 8));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not poll Netty's leak detector", e);
        }
    }

    /** Collects the LEAK reports that Netty logs. */
    private static final class LeakReports extends AppenderBase<ILoggingEvent> {
        private final List<String> reports = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            String message = event.getFormattedMessage();
            if (message != null && message.contains("LEAK:")) {
                synchronized (reports) {
                    reports.add(message);
                }
            }
        }

        boolean isEmpty() {
            synchronized (reports) {
                return reports.isEmpty();
            }
        }

        List<String> drain() {
            synchronized (reports) {
                List<String> copy = new ArrayList<>(reports);
                reports.clear();
                return copy;
            }
        }
    }
}
