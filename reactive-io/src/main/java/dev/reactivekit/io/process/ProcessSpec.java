package dev.reactivekit.io.process;

import dev.reactivekit.core.internal.Checks;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * What to run: the command and its arguments (never parsed by a shell), working directory, environment,
 * standard input, and a time limit. Immutable: every setter returns a copy, so a spec can serve as a template.
 *
 * <pre>{@code
 * ProcessSpec grep = ProcessSpec.of("grep", "-c", "error")
 *     .directory(Path.of("/var/log"))
 *     .stdin(files.read(Path.of("/var/log/app.log")))
 *     .timeout(Duration.ofSeconds(30));
 * }</pre>
 */
public final class ProcessSpec {

    private final List<String> command;
    private final Path directory;
    private final Map<String, String> environment;
    private final Publisher<ByteBuffer> stdin;
    private final boolean mergeStderr;
    private final Duration timeout;

    private ProcessSpec(List<String> command, Path directory, Map<String, String> environment,
            Publisher<ByteBuffer> stdin, boolean mergeStderr, Duration timeout) {
        this.command = command;
        this.directory = directory;
        this.environment = environment;
        this.stdin = stdin;
        this.mergeStderr = mergeStderr;
        this.timeout = timeout;
    }

    /** The program and its arguments, passed to the operating system as they are. */
    public static ProcessSpec of(String... command) {
        return of(List.of(command));
    }

    /** The program and its arguments, passed to the operating system as they are. */
    public static ProcessSpec of(List<String> command) {
        Checks.notNull(command, "command");
        Checks.isTrue(!command.isEmpty(), () -> "`command` must not be empty");
        return new ProcessSpec(List.copyOf(command), null, Map.of(), null, false, null);
    }

    /** Runs in {@code directory} instead of the current one. */
    public ProcessSpec directory(Path directory) {
        return new ProcessSpec(command, Checks.notNull(directory, "directory"), environment, stdin, mergeStderr, timeout);
    }

    /** Adds or replaces one environment variable; the rest of this JVM's environment is inherited. */
    public ProcessSpec environment(String name, String value) {
        Checks.notNull(name, "name");
        Checks.notNull(value, "value");
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(name, value);
        return new ProcessSpec(command, directory, Map.copyOf(env), stdin, mergeStderr, timeout);
    }

    /**
     * What the process reads on its standard input, written as it asks for it; the input is closed when the
     * publisher completes. Without it, the process sees an empty, closed input. If the process exits or closes
     * its input before reading everything, the rest is not requested.
     */
    public ProcessSpec stdin(Publisher<ByteBuffer> stdin) {
        return new ProcessSpec(command, directory, environment, Checks.notNull(stdin, "stdin"), mergeStderr, timeout);
    }

    /** Sends standard error into standard output, as {@code 2>&1} does. */
    public ProcessSpec mergeStderr() {
        return new ProcessSpec(command, directory, environment, stdin, true, timeout);
    }

    /**
     * Kills the process (and its descendants) if it runs longer than {@code timeout} (> 0); the run then fails
     * with an {@link dev.reactivekit.core.OperationTimeoutException} naming the command.
     */
    public ProcessSpec timeout(Duration timeout) {
        return new ProcessSpec(command, directory, environment, stdin, mergeStderr, Checks.positive(timeout, "timeout"));
    }

    public List<String> command() {
        return command;
    }

    public Path directory() {
        return directory;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Publisher<ByteBuffer> stdin() {
        return stdin;
    }

    public boolean isStderrMerged() {
        return mergeStderr;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The command for messages, for example {@code [grep, -c, error]}. */
    @Override
    public String toString() {
        return command.toString();
    }
}
