package dev.reactivekit.perf.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.perf.Measurements;
import dev.reactivekit.perf.Scenario;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.TcpClient;

/**
 * Memory per idle connection: the echo server (TCP, and WebSocket) in a process of its own ({@code perf serve
 * --control}, same JVM options for both sides, the heap fixed and pre-touched), its heap after a full GC and its
 * resident set measured before and
 * after this process opens N (10,000) idle connections to it; ours against raw Reactor Netty, a fresh server
 * process per round, the sides alternating.
 */
@Command(name = "memory", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Heap and RSS per idle connection of the TCP and WebSocket echo servers holding N connections: ours vs raw Reactor Netty.")
public final class MemoryBench extends Scenario {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--connections", defaultValue = "10000", description = "Idle connections held.")
    int connections;

    @Option(names = "--rounds", defaultValue = "3", description = "Server processes measured per side and protocol.")
    int rounds;

    @Option(names = "--server-heap", defaultValue = "512m", description = "-Xmx of the server processes.")
    String serverHeap;

    @Override
    public List<String> quickArguments() {
        return List.of("--rounds", "1");
    }

    @Override
    protected int measure() throws Exception {
        if (connections < 1 || rounds < 1) {
            throw new UsageException("--connections and --rounds must be at least 1");
        }
        for (PlainServers.Protocol protocol : List.of(PlainServers.Protocol.ECHO_TCP, PlainServers.Protocol.WS)) {
            Measurements heap = new Measurements();
            Measurements rss = new Measurements();
            String ours = protocol == PlainServers.Protocol.WS ? "HttpService websocket echo" : "TcpService echo";
            String raw = protocol == PlainServers.Protocol.WS ? "raw Reactor Netty ws echo" : "raw TcpServer echo";
            LinkedHashMap<String, Measurements.Run> runs = new LinkedHashMap<>();
            runs.put(ours, () -> {
                long[] perConnection = perConnection(protocol, PlainServers.Impl.OURS);
                rss.add(ours, perConnection[1]);
                return perConnection[0];
            });
            runs.put(raw, () -> {
                long[] perConnection = perConnection(protocol, PlainServers.Impl.RAW);
                rss.add(raw, perConnection[1]);
                return perConnection[0];
            });
            heap.interleave(rounds, runs);
            String what = String.format(Locale.ROOT, "%s, %,d idle connections", protocol == PlainServers.Protocol.WS
                    ? "WebSocket echo" : "TCP echo", connections);
            report(heap.toCase(name(), what + ", heap after GC", "bytes/connection", false, ours,
                    List.of(ours, raw), Map.of(), List.of()));
            report(rss.toCase(name(), what + ", resident set", "bytes/connection", false, ours,
                    List.of(ours, raw), Map.of(), List.of()));
        }
        return ExitCodes.OK;
    }

    /** Heap and RSS growth per connection of one fresh server process holding the connections. */
    private long[] perConnection(PlainServers.Protocol protocol, PlainServers.Impl impl) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // The heap fixed and touched from the start: the resident set then grows by what is not heap (direct
        // buffers, native structures), and the heap is measured on its own, after a GC.
        Process server = new ProcessBuilder(java, "-Xms" + serverHeap, "-Xmx" + serverHeap, "-XX:+AlwaysPreTouch",
                "-Dio.netty.leakDetection.level=disabled",
                "-cp", System.getProperty("java.class.path"), "dev.reactivekit.perf.Perf", "serve",
                protocol.toString(), "--impl", impl.toString(), "--control")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8)) {
            String listening = out.readLine();
            if (listening == null || !listening.startsWith("listening on ")) {
                throw new IllegalStateException("the " + impl + " " + protocol + " server did not start: " + listening);
            }
            URI url = URI.create(listening.substring("listening on ".length()));
            JsonNode before = memory(in, out);
            try (Held held = hold(protocol, url)) {
                JsonNode after = memory(in, out);
                return new long[] {
                        (after.path("heap").asLong() - before.path("heap").asLong()) / connections,
                        (after.path("rss").asLong() - before.path("rss").asLong()) / connections};
            }
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static JsonNode memory(Writer in, BufferedReader out) throws IOException {
        in.write("memory\n");
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("the server process ended before reporting its memory");
        }
        return JSON.readTree(line);
    }

    /** Connections held open (and idle) until closed. */
    private interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private Held hold(PlainServers.Protocol protocol, URI url) {
        if (protocol == PlainServers.Protocol.ECHO_TCP) {
            List<Connection> open = Loads.connectAll(Flux.range(0, connections)
                    .flatMap(i -> TcpClient.newConnection().host(url.getHost()).port(url.getPort()).connect(), 200));
            settle();
            return () -> open.forEach(Connection::dispose);
        }
        ConnectionProvider provider = ConnectionProvider.newConnection();
        HttpClient client = HttpClient.create(provider);
        AtomicInteger upgraded = new AtomicInteger();
        Disposable all = Flux.range(0, connections)
                .flatMap(i -> client.websocket().uri(url.toString()).handle((in, out) -> {
                    upgraded.incrementAndGet();
                    return in.receive().then();
                }), connections)
                .subscribe();
        long by = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (upgraded.get() < connections) {
            if (System.nanoTime() > by) {
                all.dispose();
                throw new IllegalStateException("only " + upgraded.get() + " of " + connections + " WebSockets opened");
            }
            Mono.delay(Duration.ofMillis(20)).block();
        }
        settle();
        return () -> {
            all.dispose();
            provider.disposeLater().block(Duration.ofSeconds(30));
        };
    }

    /** The server has accepted and set up what the client side sees connected. */
    private static void settle() {
        Mono.delay(Duration.ofMillis(500)).block();
    }
}
