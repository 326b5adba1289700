package dev.reactivekit.perf.io;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * WebSocket echo: round trips per second and their p50/p99 at 100 connections, one text message outstanding on
 * each, our {@code HttpService} WebSocket route with {@code WebSocketHandler.echo()} against a raw Reactor Netty
 * {@code ws} route echoing the frames back.
 */
@Command(name = "ws", mixinStandardHelpOptions = true, sortOptions = false,
        description = "WebSocket echo round trips/s and p50/p99 at 100 connections: HttpService websocket vs raw Reactor Netty.")
public final class WsBench extends NetScenario {

    static final String OURS = "HttpService websocket echo";
    static final String RAW = "raw Reactor Netty ws echo";

    @Option(names = "--size", defaultValue = "64", description = "Characters per text message.")
    int size;

    @Override
    PlainServers.Protocol protocol() {
        return PlainServers.Protocol.WS;
    }

    @Override
    String title(int n) {
        return String.format(Locale.ROOT, "WebSocket echo, %,d connections, %d-character texts", n, size);
    }

    @Override
    Loads.Load load(PlainServers.Running server, int n) {
        return Loads.wsEcho(server.url(), n, size);
    }

    @Override
    String vertxName() {
        return "Vert.x WebSocket";
    }

    @Override
    List<String> names() {
        return List.of(OURS, RAW);
    }
}
