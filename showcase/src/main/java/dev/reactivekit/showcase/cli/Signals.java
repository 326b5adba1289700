package dev.reactivekit.showcase.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl-C (SIGINT) and SIGTERM ask the running command to stop ({@link Console#interrupt()}) instead of
 * killing the JVM, so it can release what it holds and print its summary; a second signal exits at once.
 */
public final class Signals {

    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    public static void install(Console console) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    if (console.isInterrupted()) {
                        Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                    }
                    console.note("%nSIG%s: stopping (send it again to exit at once)...", name);
                    console.interrupt();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                log.debug("cannot handle SIG{}: the JVM's default applies", name, e);
            }
        }
    }
}
