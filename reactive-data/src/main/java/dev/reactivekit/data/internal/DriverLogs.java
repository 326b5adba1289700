package dev.reactivekit.data.internal;

import java.util.Set;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Keeps r2dbc-mariadb from logging, at WARN, what ReactiveKit already reports as a typed exception: every error
 * packet the server sends ({@code Error: '...' sqlState='42000' code=1064}), and a refused login with its stack
 * trace. A failed statement would otherwise show up twice, once as a warning nobody can act on. Internal.
 * <p>
 * Those loggers are Reactor's ({@code reactor.util.Loggers}), each made once, when its class initializes. So the
 * two classes are initialized here, with Reactor handing out, for that moment only, loggers that write through
 * SLF4J as Reactor's own do, those two at DEBUG instead of WARN; Reactor's SLF4J factory is put back at once.
 * Only when Reactor logs through SLF4J (its choice whenever SLF4J is present, as with ReactiveKit): a factory the
 * application installed itself is never replaced. Set {@code -Dreactivekit.mariadb.serverErrorsAtWarn=true} to
 * keep the driver's warnings.
 */
public final class DriverLogs {

    private static final Set<String> MARIADB_SERVER_ERRORS = Set.of(
            "org.mariadb.r2dbc.message.server.ErrorPacket",
            "org.mariadb.r2dbc.message.flow.AuthenticationFlow");

    private static boolean mariadbDone;

    private DriverLogs() {
    }

    /** Makes r2dbc-mariadb's server-error logs DEBUG, once per JVM; see the class comment. */
    public static synchronized void quietMariadbServerErrors() {
        if (mariadbDone) {
            return;
        }
        mariadbDone = true;
        if (Boolean.getBoolean("reactivekit.mariadb.serverErrorsAtWarn") || !reactorUsesSlf4j()) {
            return;
        }
        Loggers.useCustomLoggers(name -> new Slf4jLogger(name, MARIADB_SERVER_ERRORS.contains(name)));
        try {
            ClassLoader loader = DriverLogs.class.getClassLoader();
            for (String name : MARIADB_SERVER_ERRORS) {
                Class.forName(name, true, loader);
            }
        } catch (ClassNotFoundException | LinkageError e) {
            // another driver version: its loggers stay as they are
        } finally {
            Loggers.useSl4jLoggers();
        }
    }

    private static boolean reactorUsesSlf4j() {
        return Loggers.getLogger(DriverLogs.class).getClass().getName().equals("reactor.util.Loggers$Slf4JLogger");
    }

    /** A Reactor logger writing through SLF4J, as Reactor's own does; with {@code demoted}, warnings at DEBUG. */
    static final class Slf4jLogger implements Logger {

        private final org.slf4j.Logger log;
        private final boolean demoted;

        Slf4jLogger(String name, boolean demoted) {
            this.log = org.slf4j.LoggerFactory.getLogger(name);
            this.demoted = demoted;
        }

        @Override
        public String getName() {
            return log.getName();
        }

        @Override
        public boolean isTraceEnabled() {
            return log.isTraceEnabled();
        }

        @Override
        public void trace(String msg) {
            log.trace(msg);
        }

        @Override
        public void trace(String format, Object... arguments) {
            log.trace(format, arguments);
        }

        @Override
        public void trace(String msg, Throwable t) {
            log.trace(msg, t);
        }

        @Override
        public boolean isDebugEnabled() {
            return log.isDebugEnabled();
        }

        @Override
        public void debug(String msg) {
            log.debug(msg);
        }

        @Override
        public void debug(String format, Object... arguments) {
            log.debug(format, arguments);
        }

        @Override
        public void debug(String msg, Throwable t) {
            log.debug(msg, t);
        }

        @Override
        public boolean isInfoEnabled() {
            return log.isInfoEnabled();
        }

        @Override
        public void info(String msg) {
            log.info(msg);
        }

        @Override
        public void info(String format, Object... arguments) {
            log.info(format, arguments);
        }

        @Override
        public void info(String msg, Throwable t) {
            log.info(msg, t);
        }

        @Override
        public boolean isWarnEnabled() {
            return demoted ? log.isDebugEnabled() : log.isWarnEnabled();
        }

        @Override
        public void warn(String msg) {
            if (demoted) {
                log.debug(msg);
            } else {
                log.warn(msg);
            }
        }

        @Override
        public void warn(String format, Object... arguments) {
            if (demoted) {
                log.debug(format, arguments);
            } else {
                log.warn(format, arguments);
            }
        }

        @Override
        public void warn(String msg, Throwable t) {
            if (demoted) {
                log.debug(msg, t);
            } else {
                log.warn(msg, t);
            }
        }

        @Override
        public boolean isErrorEnabled() {
            return log.isErrorEnabled();
        }

        @Override
        public void error(String msg) {
            log.error(msg);
        }

        @Override
        public void error(String format, Object... arguments) {
            log.error(format, arguments);
        }

        @Override
        public void error(String msg, Throwable t) {
            log.error(msg, t);
        }
    }
}
