package dev.reactivekit.perf.io;

import dev.reactivekit.io.http.HttpService;
import dev.reactivekit.io.http.RunningService;
import dev.reactivekit.io.http.ServerReply;
import dev.reactivekit.io.tcp.RunningTcpService;
import dev.reactivekit.io.tcp.TcpHandler;
import dev.reactivekit.io.tcp.TcpService;
import dev.reactivekit.io.ws.WebSocketHandler;
import dev.reactivekit.io.ws.WebSocketOptions;
import dev.reactivekit.perf.Measurements;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * Networking throughput, ReactiveKit against the raw Reactor Netty code a user would otherwise write, in one
 * JVM, measured in the same run after a warm-up, the two alternating round by round (ABAB then BABA, so neither
 * always goes first); each table gives the ratio of medians and the median of the round-by-round ratios:
 * <ol>
 *   <li>tcp: echo round trips per second with 100 and 1,000 connections, 64-byte messages, one outstanding per
 *       connection, our {@code TcpService} echo vs {@code out.send(in.receive().retain())};</li>
 *   <li>http: {@code GET /hello} requests per second at 100 connections driven by {@code wrk}, our
 *       {@code HttpService} vs a raw {@code HttpServer} route;</li>
 *   <li>ws: WebSocket echo round trips per second at 100 connections, ours vs a raw Reactor Netty echo.</li>
 * </ol>
 * The load generators are the same for both sides of each case, so their own cost cancels out in the ratio.
 * <pre>./reactivekit perf net --cases all</pre>
 */
@Command(name = "net", mixinStandardHelpOptions = true,
        description = "TCP echo, HTTP hello and WebSocket echo vs raw Reactor Netty, interleaved.")
public final class NetBench implements Callable<Integer> {

    @Option(names = "--cases", defaultValue = "all", split = ",",
            description = "tcp, http, ws or all (default ${DEFAULT-VALUE}); fan-out is its own scenario, fanout.")
    List<String> cases;

    @Option(names = "--rounds", defaultValue = "8", description = "Measured rounds per side (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seconds", defaultValue = "3", description = "Length of one round of a throughput case (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "8", description = "Warm-up per side before measuring (default ${DEFAULT-VALUE}).")
    int warmupSeconds;


    @Override
    public Integer call() throws Exception {
        boolean all = cases.contains("all");
        System.out.printf(Locale.ROOT, "rounds %d x %d s after %d s of warm-up per side; transport: %s%n%n", rounds, seconds,
                warmupSeconds, dev.reactivekit.io.internal.NetworkTransport.name());
        if (all || cases.contains("tcp")) {
            tcpEcho(100);
            tcpEcho(1000);
        }
        if (all || cases.contains("http")) {
            httpHello();
        }
        if (all || cases.contains("ws")) {
            webSocketEcho(100);
        }
        return 0;
    }

    // ------------------------------------------------------------------ (b) TCP echo

    private void tcpEcho(int connections) throws Exception {
        RunningTcpService ours = TcpService.builder().handler(TcpHandler.echo()).build().start().block();
        DisposableServer raw = TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> out.send(in.receive().retain())).bindNow();
        // Connections are opened once and kept: the case measures echoing, not connecting.
        try (EchoLoad oursLoad = new EchoLoad(ours.port(), connections);
             EchoLoad rawLoad = new EchoLoad(raw.port(), connections)) {
            Measurements m = new Measurements();
            warm(() -> oursLoad.measure(warmupSeconds), () -> rawLoad.measure(warmupSeconds));
            m.interleave(rounds, "TcpService echo", () -> oursLoad.measure(seconds),
                    "raw out.send(in.receive().retain())", () -> rawLoad.measure(seconds));
            System.out.printf(Locale.ROOT, "(b) TCP echo, %d connections, 64-byte messages, one outstanding each; round trips/s%n",
                    connections);
            System.out.print(m.table("rt/s", "raw out.send(in.receive().retain())",
                    List.of("TcpService echo", "raw out.send(in.receive().retain())")));
            System.out.println();
        }
        ours.close(Duration.ofSeconds(1)).block();
        raw.disposeNow();
    }

    /** {@code connections} open client connections, each sending 64 bytes and waiting for them to come back while on. */
    private static final class EchoLoad implements AutoCloseable {
        private final LongAdder roundTrips = new LongAdder();
        private final List<PingPong> handlers = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<? extends Connection> open;

        EchoLoad(int port, int connections) {
            open = Flux.range(0, connections)
                    .flatMap(i -> TcpClient.newConnection().host("127.0.0.1").port(port)
                            .doOnConnected(c -> {
                                PingPong handler = new PingPong(roundTrips);
                                handlers.add(handler);
                                c.addHandlerLast(handler);
                            })
                            .connect(), 100)
                    .collectList().block(Duration.ofMinutes(1));
        }

        /** Round trips per second over {@code seconds} of all connections pinging at once. */
        double measure(int seconds) {
            handlers.forEach(PingPong::start);
            Mono.delay(Duration.ofMillis(200)).block();   // every connection under way
            long before = roundTrips.sum();
            long start = System.nanoTime();
            Mono.delay(Duration.ofSeconds(seconds)).block();
            double rate = (roundTrips.sum() - before) / ((System.nanoTime() - start) / 1e9);
            handlers.forEach(PingPong::stop);
            long quietBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (handlers.stream().anyMatch(PingPong::inFlight) && System.nanoTime() < quietBy) {
                Mono.delay(Duration.ofMillis(10)).block();
            }
            return rate;
        }

        @Override
        public void close() {
            open.forEach(Connection::dispose);
        }
    }

    /** Writes a 64-byte message whenever the previous one has fully come back, while started. */
    private static final class PingPong extends ChannelInboundHandlerAdapter {
        private static final byte[] MESSAGE = new byte[64];
        private final LongAdder roundTrips;
        private volatile boolean running;
        private volatile boolean inFlight;
        private ChannelHandlerContext ctx;
        private int pending;

        PingPong(LongAdder roundTrips) {
            this.roundTrips = roundTrips;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            // Reactor Netty reads only on demand from its inbound; this handler consumes the bytes itself.
            ctx.channel().config().setAutoRead(true);
        }

        void start() {
            ctx.executor().execute(() -> {
                running = true;
                if (!inFlight) {
                    send();
                }
            });
        }

        void stop() {
            running = false;
        }

        boolean inFlight() {
            return inFlight;
        }

        private void send() {
            inFlight = true;
            pending = MESSAGE.length;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(MESSAGE));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            pending -= buf.readableBytes();
            buf.release();
            if (pending <= 0) {
                inFlight = false;
                roundTrips.increment();
                if (running) {
                    send();
                }
            }
        }
    }

    // ------------------------------------------------------------------ (c) HTTP hello

    private void httpHello() throws Exception {
        if (!wrkAvailable()) {
            System.out.println("(c) skipped: wrk is not installed (apt-get install wrk)\n");
            return;
        }
        RunningService ours = HttpService.builder().port(0)
                .get("/hello", req -> Mono.just(ServerReply.text("hello")))
                .build().start().block();
        DisposableServer raw = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/hello", (req, res) -> res.header("Content-Type", "text/plain; charset=utf-8")
                        .sendString(Mono.just("hello"))))
                .bindNow();
        String oursUrl = ours.url("/hello");
        String rawUrl = "http://127.0.0.1:" + raw.port() + "/hello";
        Measurements m = new Measurements();
        wrk(oursUrl, warmupSeconds);
        wrk(rawUrl, warmupSeconds);
        m.interleave(rounds, "HttpService", () -> wrk(oursUrl, seconds), "raw HttpServer route", () -> wrk(rawUrl, seconds));
        System.out.println("(c) GET /hello, 100 connections (wrk -t2 -c100); requests/s");
        System.out.print(m.table("req/s", "raw HttpServer route", List.of("HttpService", "raw HttpServer route")));
        System.out.println();
        ours.close(Duration.ofSeconds(1)).block();
        raw.disposeNow();
    }

    private static boolean wrkAvailable() {
        try {
            return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() >= 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static double wrk(String url, int seconds) throws Exception {
        Process p = new ProcessBuilder("wrk", "-t2", "-c100", "-d" + seconds + "s", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher matcher = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        if (!matcher.find() || out.contains("Non-2xx")) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        return Double.parseDouble(matcher.group(1));
    }

    // ------------------------------------------------------------------ (d) WebSocket echo

    private void webSocketEcho(int connections) throws Exception {
        RunningService ours = HttpService.builder().port(0)
                .websocket("/echo", WebSocketHandler.echo(), WebSocketOptions.defaults())
                .build().start().block();
        DisposableServer raw = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.ws("/echo", (in, out) -> out.sendObject(in.aggregateFrames().receiveFrames().map(WebSocketFrame::retain))))
                .bindNow();
        String oursUrl = "ws://127.0.0.1:" + ours.port() + "/echo";
        String rawUrl = "ws://127.0.0.1:" + raw.port() + "/echo";
        Measurements m = new Measurements();
        warm(() -> pingPongWs(oursUrl, connections, warmupSeconds), () -> pingPongWs(rawUrl, connections, warmupSeconds));
        m.interleave(rounds, "HttpService websocket echo", () -> pingPongWs(oursUrl, connections, seconds),
                "raw Reactor Netty ws echo", () -> pingPongWs(rawUrl, connections, seconds));
        System.out.printf(Locale.ROOT, "(d) WebSocket echo, %d connections, 64-character text messages; round trips/s%n", connections);
        System.out.print(m.table("rt/s", "raw Reactor Netty ws echo", List.of("HttpService websocket echo", "raw Reactor Netty ws echo")));
        System.out.println();
        ours.close(Duration.ofSeconds(1)).block();
        raw.disposeNow();
    }

    private static double pingPongWs(String url, int connections, int seconds) {
        LongAdder roundTrips = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        String message = "x".repeat(64);
        HttpClient client = HttpClient.newConnection();
        reactor.core.Disposable all = Flux.range(0, connections).flatMap(i -> client.websocket().uri(url).handle((in, out) -> {
            Sinks.Many<String> next = Sinks.many().unicast().onBackpressureBuffer();
            next.tryEmitNext(message);
            Mono<Void> replies = in.receive().doOnNext(b -> {
                roundTrips.increment();
                if (running.get()) {
                    next.tryEmitNext(message);
                } else {
                    next.tryEmitComplete();
                }
            }).then();
            return Mono.when(out.sendString(next.asFlux()).then(), replies);
        }), connections).subscribe();
        Mono.delay(Duration.ofSeconds(1)).block();   // connected and running
        long start = System.nanoTime();
        roundTrips.reset();
        Mono.delay(Duration.ofSeconds(seconds)).block();
        double rate = roundTrips.sum() / ((System.nanoTime() - start) / 1e9);
        running.set(false);
        all.dispose();
        return rate;
    }

    // ------------------------------------------------------------------ helpers

    private static void warm(Measurements.Run a, Measurements.Run b) throws Exception {
        a.run();
        b.run();
    }
}
