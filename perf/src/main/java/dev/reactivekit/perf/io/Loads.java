package dev.reactivekit.perf.io;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.TcpClient;

/**
 * The load generators of the network scenarios, written on raw Reactor Netty and Netty so that both sides of a
 * case are driven by the same client (its own cost cancels out in the ratio): each keeps C connections open with
 * one message (or request) outstanding on each, and measures round trips per second and their latency.
 */
public final class Loads {

    private Loads() {
    }

    /** What one measured window gave. */
    public record Window(double perSecond, long count, long errors, double p50Millis, double p99Millis) {
    }

    /** A load over open connections: {@link #measure} runs it for a while; {@link #close} closes them. */
    public interface Load extends AutoCloseable {
        Window measure(Duration length);

        @Override
        void close();
    }

    /** Latency samples of one connection (touched by its event loop only while measuring), merged at the end. */
    static final class Samples {
        private long[] nanos = new long[256];
        private int size;

        void add(long value) {
            if (size == nanos.length) {
                nanos = Arrays.copyOf(nanos, size * 2);
            }
            nanos[size++] = value;
        }

        void clear() {
            size = 0;
        }

        static double[] percentilesMillis(List<Samples> all, double... ps) {
            int total = all.stream().mapToInt(s -> s.size).sum();
            long[] merged = new long[total];
            int at = 0;
            for (Samples s : all) {
                System.arraycopy(s.nanos, 0, merged, at, s.size);
                at += s.size;
            }
            Arrays.sort(merged);
            double[] out = new double[ps.length];
            for (int i = 0; i < ps.length; i++) {
                int rank = (int) Math.ceil(ps[i] / 100.0 * merged.length);
                out[i] = merged.length == 0 ? Double.NaN
                        : merged[Math.max(0, Math.min(merged.length - 1, rank - 1))] / 1e6;
            }
            return out;
        }
    }

    // ------------------------------------------------------------------ TCP echo

    /** {@code connections} TCP connections to {@code port}, each sending {@code size} bytes when the last came back. */
    public static Load tcpEcho(String host, int port, int connections, int size) {
        return new TcpEchoLoad(host, port, connections, size);
    }

    private static final class TcpEchoLoad implements Load {
        private final List<PingPong> handlers = new CopyOnWriteArrayList<>();
        private final List<Connection> open;

        TcpEchoLoad(String host, int port, int connections, int size) {
            byte[] message = new byte[size];
            // Connections are opened once and kept: the case measures echoing, not connecting.
            open = connectAll(Flux.range(0, connections)
                    .flatMap(i -> TcpClient.newConnection().host(host).port(port)
                            .doOnConnected(c -> {
                                PingPong handler = new PingPong(message);
                                handlers.add(handler);
                                c.addHandlerLast(handler);
                            })
                            .connect(), 100));
        }

        @Override
        public Window measure(Duration length) {
            handlers.forEach(PingPong::start);
            sleep(Duration.ofMillis(200)); // every connection under way
            handlers.forEach(h -> h.recording = true);
            long before = handlers.stream().mapToLong(h -> h.roundTrips).sum();
            long start = System.nanoTime();
            sleep(length);
            handlers.forEach(h -> h.recording = false);
            long count = handlers.stream().mapToLong(h -> h.roundTrips).sum() - before;
            double seconds = (System.nanoTime() - start) / 1e9;
            handlers.forEach(PingPong::stop);
            long quietBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (handlers.stream().anyMatch(h -> h.inFlight) && System.nanoTime() < quietBy) {
                sleep(Duration.ofMillis(10));
            }
            double[] p = Samples.percentilesMillis(handlers.stream().map(h -> h.samples).toList(), 50, 99);
            handlers.forEach(h -> h.samples.clear());
            return new Window(count / seconds, count, 0, p[0], p[1]);
        }

        @Override
        public void close() {
            open.forEach(Connection::dispose);
        }
    }

    /** Writes a message whenever the previous one has fully come back, while started; times each round trip. */
    private static final class PingPong extends ChannelInboundHandlerAdapter {
        private final byte[] message;
        private final Samples samples = new Samples();
        private volatile boolean running;
        private volatile boolean inFlight;
        private volatile boolean recording;
        private volatile long roundTrips; // written by this channel's event loop only
        private ChannelHandlerContext ctx;
        private int pending;
        private long sentAt;

        PingPong(byte[] message) {
            this.message = message;
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

        private void send() {
            inFlight = true;
            pending = message.length;
            sentAt = System.nanoTime();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(message));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            pending -= buf.readableBytes();
            buf.release();
            if (pending <= 0) {
                if (recording) {
                    samples.add(System.nanoTime() - sentAt);
                }
                inFlight = false;
                roundTrips++;
                if (running) {
                    send();
                }
            }
        }
    }

    // ------------------------------------------------------------------ WebSocket echo

    /** {@code connections} WebSocket connections to {@code url}, each sending a text when the last came back. */
    public static Load wsEcho(String url, int connections, int size) {
        return new WsEchoLoad(url, connections, size);
    }

    private static final class WsEchoLoad implements Load {
        private final HttpClient client = HttpClient.newConnection();
        private final String url;
        private final int connections;
        private final String message;

        WsEchoLoad(String url, int connections, int size) {
            this.url = url;
            this.connections = connections;
            this.message = "x".repeat(size);
        }

        @Override
        public Window measure(Duration length) {
            LongAdder roundTrips = new LongAdder();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicBoolean recording = new AtomicBoolean();
            List<Samples> samples = new CopyOnWriteArrayList<>();
            Disposable all = Flux.range(0, connections).flatMap(i -> client.websocket().uri(url).handle((in, out) -> {
                Samples mine = new Samples();
                samples.add(mine);
                long[] sentAt = {System.nanoTime()};
                Sinks.Many<String> next = Sinks.many().unicast().onBackpressureBuffer();
                next.tryEmitNext(message);
                Mono<Void> replies = in.receive().doOnNext(b -> {
                    if (recording.get()) {
                        mine.add(System.nanoTime() - sentAt[0]);
                        roundTrips.increment();
                    }
                    if (running.get()) {
                        sentAt[0] = System.nanoTime();
                        next.tryEmitNext(message);
                    } else {
                        next.tryEmitComplete();
                    }
                }).then();
                return Mono.when(out.sendString(next.asFlux()).then(), replies);
            }), connections).subscribe();
            sleep(Duration.ofSeconds(1)); // connected and running
            recording.set(true);
            long start = System.nanoTime();
            sleep(length);
            recording.set(false);
            double seconds = (System.nanoTime() - start) / 1e9;
            long count = roundTrips.sum();
            running.set(false);
            all.dispose();
            double[] p = Samples.percentilesMillis(samples, 50, 99);
            return new Window(count / seconds, count, 0, p[0], p[1]);
        }

        @Override
        public void close() {
        }
    }

    // ------------------------------------------------------------------ HTTP GET

    /** {@code connections} keep-alive connections to {@code url}, each sending the next GET when the last answered. */
    public static Load httpGet(String url, int connections) {
        return new HttpGetLoad(url, connections);
    }

    private static final class HttpGetLoad implements Load {
        private final ConnectionProvider provider;
        private final HttpClient client;
        private final String url;
        private final int connections;

        HttpGetLoad(String url, int connections) {
            this.url = url;
            this.connections = connections;
            this.provider = ConnectionProvider.builder("perf-http-load").maxConnections(connections)
                    .pendingAcquireMaxCount(-1).build();
            this.client = HttpClient.create(provider);
        }

        @Override
        public Window measure(Duration length) {
            LongAdder count = new LongAdder();
            LongAdder errors = new LongAdder();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicBoolean recording = new AtomicBoolean();
            List<Samples> samples = new CopyOnWriteArrayList<>();
            Disposable all = Flux.range(0, connections).flatMap(i -> {
                Samples mine = new Samples();
                samples.add(mine);
                return Mono.defer(() -> {
                    long sent = System.nanoTime();
                    return client.get().uri(url).responseSingle((res, body) -> body.asString()
                                    .defaultIfEmpty("").map(text -> res.status().code()))
                            .doOnNext(code -> {
                                if (recording.get()) {
                                    if (code == 200) {
                                        mine.add(System.nanoTime() - sent);
                                        count.increment();
                                    } else {
                                        errors.increment();
                                    }
                                }
                            })
                            .onErrorResume(e -> {
                                errors.increment();
                                return Mono.empty();
                            });
                }).repeat(running::get);
            }, connections).subscribe();
            sleep(Duration.ofMillis(500));
            recording.set(true);
            long start = System.nanoTime();
            sleep(length);
            recording.set(false);
            double seconds = (System.nanoTime() - start) / 1e9;
            running.set(false);
            long quietBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!all.isDisposed() && System.nanoTime() < quietBy) {
                sleep(Duration.ofMillis(10));
            }
            all.dispose();
            double[] p = Samples.percentilesMillis(samples, 50, 99);
            return new Window(count.sum() / seconds, count.sum(), errors.sum(), p[0], p[1]);
        }

        @Override
        public void close() {
            provider.disposeLater().block(Duration.ofSeconds(10));
        }
    }

    /**
     * Opens every connection of {@code connecting} (within two minutes); when one fails, or the wait is cut short,
     * the ones already open are closed before the error goes on.
     */
    static List<Connection> connectAll(Flux<? extends Connection> connecting) {
        List<Connection> open = new CopyOnWriteArrayList<>();
        try {
            connecting.doOnNext(open::add).then().block(Duration.ofMinutes(2));
            return open;
        } catch (RuntimeException e) {
            open.forEach(Connection::dispose);
            throw e;
        }
    }

    /** Waits, as {@code block()} does: an interrupt (Ctrl-C) ends the scenario. */
    static void sleep(Duration d) {
        Mono.delay(d).block();
    }
}
