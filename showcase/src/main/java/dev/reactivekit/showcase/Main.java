package dev.reactivekit.showcase;

import ch.qos.logback.classic.Level;
import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Console;
import dev.reactivekit.showcase.cli.Durations;
import dev.reactivekit.showcase.cli.Errors;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Signals;
import dev.reactivekit.showcase.cli.UsageException;
import java.io.PrintWriter;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The showcase command line: {@code ./reactivekit <command>} (or {@code java -jar
 * showcase/target/reactivekit-showcase.jar <command>}). Exit codes: {@link ExitCodes}.
 */
@Command(name = "reactivekit",
        mixinStandardHelpOptions = true,
        version = "ReactiveKit showcase 0.1.0-SNAPSHOT",
        description = "Applications built on ReactiveKit, a Spring-free reactive toolkit for Java.",
        footer = {"", "Exit codes: 0 all succeeded, 1 some work failed, 2 bad usage, 130 stopped by Ctrl-C.",
                "Run 'reactivekit COMMAND --help' for a command's options and their defaults."},
        subcommands = {
                Demo.class,
                CoreDemo.class,
                HttpBin.class,
                Fetch.class,
                Download.class,
EchoServers.Tcp.class,
EchoServers.Udp.class,
EchoServers.Ws.class,
EchoClients.Tcp.class,
EchoClients.Udp.class,
EchoClients.Ws.class,
                Pipeline.class,
                Ingest.class,
                Jobs.class,
                Chat.class,
                dev.reactivekit.showcase.crawl.CrawlCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Console console = Console.system();
        Signals.install(console);
        System.exit(run(console, args));
    }

    /** Runs one command line against {@code console}; the exit code is returned, never passed to System.exit. */
    public static int run(Console console, String... args) {
        CommandLine cli = commandLine(console);
        return cli.execute(args);
    }

    static CommandLine commandLine(Console console) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cli = new CommandLine(new Main(), new CommandLine.IFactory() {
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

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
