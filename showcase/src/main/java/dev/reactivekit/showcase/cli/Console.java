package dev.reactivekit.showcase.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Where a command prints and how it learns that it must stop: stdout for results, stderr for notes, progress
 * and errors; {@link #interrupted()} completes on the first Ctrl-C (or SIGTERM), or when a test calls
 * {@link #interrupt()}. One per run of the command line.
 */
public final class Console {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final Sinks.Empty<Void> interrupted = Sinks.empty();
    private volatile boolean isInterrupted;

    public Console(PrintStream out, PrintStream err, boolean terminal) {
        this(InputStream.nullInputStream(), out, err, terminal);
    }

    public Console(InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** The process's own streams; a terminal when stdin and stdout both are. */
    public static Console system() {
        return new Console(System.in, new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8), isInteractive());
    }

    /**
     * Up to JDK 21 a console exists only for a terminal; from JDK 22 one may exist anyway, and
     * {@code Console.isTerminal()} (looked up, as it is not in 17) tells.
     */
    private static boolean isInteractive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Standard input (read it off the event loops: it blocks). */
    public InputStream in() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** Whether stdout is a terminal, where progress bars and colours make sense. */
    public boolean isTerminal() {
        return terminal;
    }

    /** Completes (empty) when the user asked the command to stop. */
    public Mono<Void> interrupted() {
        return interrupted.asMono();
    }

    public boolean isInterrupted() {
        return isInterrupted;
    }

    /** Asks the running command to stop, as Ctrl-C does. */
    public void interrupt() {
        isInterrupted = true;
        interrupted.tryEmitEmpty();
    }

    /** One JSON object on one line of stdout (the {@code --json} output). */
    public void json(Map<String, ?> record) {
        try {
            out.println(JSON.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + record + " as JSON", e);
        }
    }

    /** A note for people on stderr. */
    public void note(String format, Object... args) {
        err.println(String.format(format, args));
    }
}
