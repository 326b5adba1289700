package dev.reactivekit.showcase.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * What every showcase command shares: the output switches ({@code --json}, {@code --no-progress},
 * {@code --verbose}) and the {@link Console} it prints to and learns of Ctrl-C from.
 */
public abstract class AppCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print results as one JSON object per line (for scripts).")
    protected boolean json;

    @Option(names = "--no-progress", description = "No progress bars or live lines, even on a terminal.")
    protected boolean noProgress;

    @Option(names = {"-v", "--verbose"}, description = "Log details to stderr, and print stack traces of errors.")
    protected boolean verbose;

    protected Console console;

    public void console(Console console) {
        this.console = console;
    }

    public boolean isVerbose() {
        return verbose;
    }

    /** Progress bars and live lines: only on a terminal, not with --json or --no-progress. */
    protected boolean showProgress() {
        return console.isTerminal() && !noProgress && !json;
    }

    @Override
    public final Integer call() throws Exception {
        return run();
    }

    protected abstract int run() throws Exception;
}
