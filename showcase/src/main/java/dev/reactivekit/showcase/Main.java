package dev.reactivekit.showcase;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The showcase command line: {@code java -jar showcase/target/reactivekit-showcase.jar <command>}. */
@Command(name = "reactivekit",
        mixinStandardHelpOptions = true,
        version = "ReactiveKit showcase 0.1.0-SNAPSHOT",
        description = "Demo applications of ReactiveKit, a Spring-free reactive toolkit for Java.",
        subcommands = {CoreDemo.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
