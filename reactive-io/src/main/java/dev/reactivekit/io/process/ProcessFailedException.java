package dev.reactivekit.io.process;

import dev.reactivekit.core.PermanentException;

/**
 * A process exited with a non-zero code where success was expected ({@link Processes#lines},
 * {@link Processes#exitCode} does not raise it). The message names the command and the code and ends with
 * the last lines it wrote to standard error.
 */
public final class ProcessFailedException extends PermanentException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String stderrTail;

    ProcessFailedException(String command, int exitCode, String stderrTail) {
        super(command + " exited with code " + exitCode + (stderrTail.isEmpty() ? "" : ": " + stderrTail));
        this.exitCode = exitCode;
        this.stderrTail = stderrTail;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The end of what the process wrote to standard error (at most a few KiB). */
    public String stderrTail() {
        return stderrTail;
    }
}
