package dev.reactivekit.perf.io;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * TCP echo: round trips per second and their p50/p99 at 100 and 1,000 connections, one message outstanding on
 * each, our {@code TcpService} echo against raw Reactor Netty's {@code out.send(in.receive().retain())}.
 */
@Command(name = "echo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "TCP echo round trips/s and p50/p99 at 100 and 1,000 connections: TcpService vs raw Reactor Netty TcpServer.")
public final class EchoBench extends NetScenario {

    static final String OURS = "TcpService echo";
    static final String RAW = "raw TcpServer echo";

    @Option(names = "--size", defaultValue = "64", description = "Bytes per message.")
    int size;

    EchoBench() {
        connections = List.of(100, 1000);
    }

    @Override
    PlainServers.Protocol protocol() {
        return PlainServers.Protocol.ECHO_TCP;
    }

    @Override
    String title(int n) {
        return String.format(Locale.ROOT, "TCP echo, %,d connections, %d-byte messages", n, size);
    }

    @Override
    Loads.Load load(PlainServers.Running server, int n) {
        return Loads.tcpEcho("127.0.0.1", server.port(), n, size);
    }

    @Override
    String vertxName() {
        return "Vert.x NetServer";
    }

    @Override
    List<String> names() {
        return List.of(OURS, RAW);
    }

    @Override
    public List<String> quickArguments() {
        return List.of("--rounds", "2", "--seconds", "1", "--warmup-seconds", "1");
    }
}
