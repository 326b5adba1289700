package dev.reactivekit.core.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures what one logger writes while a test runs, instead of printing it, so that tests can assert on
 * expected warnings and errors. Use with try-with-resources.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final boolean additive;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String name) {
        this.logger = (Logger) LoggerFactory.getLogger(name);
        this.additive = logger.isAdditive();
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
    }

    /** Starts capturing the logger named after {@code source}. */
    public static LogCapture of(Class<?> source) {
        return new LogCapture(source.getName());
    }

    /** Starts capturing the logger {@code name} (for a library's package-private class, say). */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /** Captured events as {@code "LEVEL message"} lines, with the throwable's message appended if any. */
    public List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream()
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null ? "" : " | " + e.getThrowableProxy().getMessage()))
                    .collect(Collectors.toList());
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setAdditive(additive);
    }
}
