package dev.reactivekit.io.process;

/**
 * A finished process: its exit code and everything it wrote, decoded as UTF-8 (what Python's
 * {@code await proc.communicate()} returns, plus the code).
 */
public record ProcessResult(int exitCode, String stdout, String stderr) {

    /** Whether the process exited with 0. */
    public boolean isSuccess() {
        return exitCode == 0;
    }
}
