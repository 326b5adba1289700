package dev.reactivekit.showcase.cli;

/** What every command returns. */
public final class ExitCodes {

    /** Everything asked for succeeded. */
    public static final int OK = 0;
    /** The run finished but some of its work failed (a URL, a download, a connection). */
    public static final int FAILURES = 1;
    /** The command line was wrong: unknown option, malformed URL, bad port. Nothing was done. */
    public static final int USAGE = 2;
    /** Stopped by Ctrl-C (128 + SIGINT) before the work was done; the summary of what was done is printed. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
