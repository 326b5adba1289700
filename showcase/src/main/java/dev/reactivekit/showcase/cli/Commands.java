package dev.reactivekit.showcase.cli;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * One command line with the conventions of every ReactiveKit tool (the showcase's and perf's): each
 * {@link AppCommand} gets the {@link Console}; {@code --help} shows every option's default; durations read as
 * {@code 1s}, {@code 200ms}; bad usage prints one line and exits {@link ExitCodes#USAGE}; a failure prints one line
 * naming what was wrong (its stack trace only with {@code --verbose}) and exits {@link ExitCodes#FAILURES}; a
 * blocking wait cut short by Ctrl-C exits {@link ExitCodes#INTERRUPTED}.
 */
public final class Commands {

    private Commands() {
    }

    /**
     * A tool's {@code main}: runs {@code root}'s command line on stdin/stdout/stderr, Ctrl-C and SIGTERM stopping
     * the work ({@link Signals}), and exits with the command's exit code.
     */
    public static void main(Object root, String... args) {
        Console console = Console.system();
        Signals.install(console);
        System.exit(commandLine(root, console).execute(args));
    }

    /** {@code root}'s command line (with its subcommands) printing to {@code console}. */
    public static CommandLine commandLine(Object root, Console console) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cli = new CommandLine(root, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = defaults.create(type);
                if (made instanceof AppCommand command) {
                    command.console(console);
                }
                return made;
            }
        });
        showDefaults(cli);
        cli.setOut(new PrintWriter(console.out(), true));
        cli.setErr(new PrintWriter(console.err(), true));
        cli.registerConverter(Duration.class, new Durations());
        cli.setParameterExceptionHandler((ex, args) -> {
            console.err().println("error: " + ex.getMessage());
            console.err().println("try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            return ExitCodes.USAGE;
        });
        cli.setExecutionStrategy(parsed -> {
            CommandLine last = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
            if (last.getCommand() instanceof AppCommand command && command.isVerbose()) {
                ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.reactivekit")).setLevel(Level.DEBUG);
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setExecutionExceptionHandler((ex, command, parsed) -> {
            Throwable error = Errors.unwrap(ex);
            if (error instanceof InterruptedException && console.isInterrupted()) {
                return ExitCodes.INTERRUPTED; // Ctrl-C cut a blocking wait short: not an error of the command
            }
            console.err().println("error: " + Errors.describe(error));
            if (command.getCommand() instanceof AppCommand app && app.isVerbose()) {
                error.printStackTrace(console.err());
            }
            return error instanceof UsageException || error instanceof CommandLine.ParameterException
                    ? ExitCodes.USAGE : ExitCodes.FAILURES;
        });
        return cli;
    }

    /** Every command's --help shows its options' defaults, nested ones ({@code jobs work}) too. */
    private static void showDefaults(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage().showDefaultValues(true);
            showDefaults(sub);
        }
    }
}
