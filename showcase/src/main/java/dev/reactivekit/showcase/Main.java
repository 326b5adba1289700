package dev.reactivekit.showcase;

import dev.reactivekit.showcase.cli.Commands;
import dev.reactivekit.showcase.cli.Console;
import dev.reactivekit.showcase.cli.ExitCodes;
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
        Commands.main(new Main(), args);
    }

    /** Runs one command line against {@code console}; the exit code is returned, never passed to System.exit. */
    public static int run(Console console, String... args) {
        CommandLine cli = commandLine(console);
        return cli.execute(args);
    }

    static CommandLine commandLine(Console console) {
        return Commands.commandLine(new Main(), console);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
