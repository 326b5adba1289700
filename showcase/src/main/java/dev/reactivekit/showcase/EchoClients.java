package dev.reactivekit.showcase;

import dev.reactivekit.io.http.ClientTls;
import dev.reactivekit.io.tcp.Framing;
import dev.reactivekit.io.tcp.TcpClient;
import dev.reactivekit.io.udp.Datagram;
import dev.reactivekit.io.udp.UdpEndpoint;
import dev.reactivekit.io.ws.WebSocketOptions;
import dev.reactivekit.io.ws.WebSockets;
import dev.reactivekit.io.ws.WsMessage;
import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Errors;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Latencies;
import dev.reactivekit.showcase.cli.UsageException;
import dev.reactivekit.showcase.cli.Urls;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * {@code tcp-client}, {@code udp-client}, {@code ws-client}: send lines (from {@code --message} or stdin) and
 * print the replies; or, with {@code --connections C --duration D}, a load test with one message outstanding per
 * connection, reporting round trips/s and latency percentiles.
 */
final class EchoClients {

    private EchoClients() {
    }

    /** What every client has. */
    abstract static class Client extends AppCommand {

        @Option(names = {"-m", "--message"}, description = "A message to send (repeatable); without it, the lines of stdin.")
        List<String> messages;

        @Option(names = "--timeout", defaultValue = "10s", description = "Longest wait for a reply.")
        Duration timeout;

        @Option(names = {"-c", "--connections"}, defaultValue = "0", description = "Load mode: this many connections at once, one message outstanding on each.")
        int connections;

        @Option(names = "--duration", defaultValue = "10s", description = "Load mode: how long to run.")
        Duration duration;

        @Option(names = "--size", defaultValue = "64", description = "Load mode: bytes per message.")
        int size;

        /** The messages to send: --message values, or stdin read line by line off the event loops. */
        Flux<String> input() {
            if (messages != null && !messages.isEmpty()) {
                return Flux.fromIterable(messages);
            }
            return Flux.using(() -> new BufferedReader(new InputStreamReader(console.in(), StandardCharsets.UTF_8)),
                            reader -> Flux.fromStream(reader.lines()), reader -> { })
                    .subscribeOn(Schedulers.boundedElastic());
        }

        @Override
        protected final int run() {
            if (connections < 0 || size < 2 || timeout.isZero() || duration.isZero()) {
                throw new UsageException("--connections must be 0 or more, --size at least 2, --timeout and --duration positive");
            }
            target();
            return connections > 0 ? load() : converse();
        }

        /** Checks the target given on the command line (a usage error when it is wrong). */
        abstract void target();

        /** Sends {@code input} on one connection; emits each reply. */
        abstract Flux<String> conversation(Flux<String> input);

        /** One load connection: round trips until the end, each recorded. */
        abstract Mono<Void> loadConnection(int id, String message, LoadStats stats);

        private int converse() {
            AtomicLong replies = new AtomicLong();
            try {
                conversation(input())
                        .takeUntilOther(console.interrupted())
                        .doOnNext(reply -> {
                            replies.incrementAndGet();
                            if (json) {
                                console.json(Map.of("reply", reply));
                            } else {
                                console.out().println(reply);
                            }
                        })
                        .blockLast();
            } catch (RuntimeException e) {
                console.err().println("error: " + Errors.describe(e) + " (after " + replies.get() + " replies)");
                return ExitCodes.FAILURES;
            }
            return console.isInterrupted() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
        }

        private int load() {
            String padding = "x".repeat(size - 1);
            LoadStats stats = new LoadStats(System.nanoTime() + duration.toNanos());
            long start = System.nanoTime();
            Flux.range(0, connections)
                    .flatMap(id -> loadConnection(id, padding, stats)
                            .onErrorResume(e -> {
                                stats.error(e);
                                return Mono.empty();
                            }), connections)
                    .then()
                    .block(duration.plus(timeout).plusSeconds(30));
            double seconds = (System.nanoTime() - start) / 1e9;
            Latencies l = stats.latencies;
            double rate = l.count() / seconds;
            if (json) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("connections", connections);
                figures.put("duration_s", Math.round(seconds * 1000) / 1000.0);
                figures.put("round_trips", l.count());
                figures.put("round_trips_per_s", Math.round(rate * 10) / 10.0);
                figures.put("p50_ms", l.percentileMillis(50));
                figures.put("p99_ms", l.percentileMillis(99));
                figures.put("max_ms", l.maxMillis());
                figures.put("errors", stats.errors.get());
                console.json(figures);
            } else {
                console.out().printf(Locale.ROOT, "%d connections, %d-byte messages, %.1fs: %d round trips, %.0f/s, "
                                + "p50 %s, p99 %s, max %s, %d errors%n", connections, size, seconds, l.count(), rate,
                        Latencies.ms(l.percentileMillis(50)), Latencies.ms(l.percentileMillis(99)),
                        Latencies.ms(l.maxMillis()), stats.errors.get());
                stats.firstErrors.forEach((kind, message) -> console.out().println("  " + kind + ": " + message));
            }
            return console.isInterrupted() ? ExitCodes.INTERRUPTED
                    : stats.errors.get() > 0 || l.count() == 0 ? ExitCodes.FAILURES : ExitCodes.OK;
        }

        /** Whether a load connection should send another message. */
        boolean keepGoing(LoadStats stats) {
            return System.nanoTime() < stats.endNanos && !console.isInterrupted();
        }

        /**
         * Ping-pong on a stream connection: sends {@code message}, waits for its echo, records the time, sends the
         * next, until the end; {@code send} writes the outgoing stream, {@code replies} is the incoming one.
         */
        Mono<Void> pingPong(Function<Flux<String>, Mono<Void>> send, Flux<String> replies, String message,
                LoadStats stats) {
            Sinks.Many<String> out = Sinks.many().unicast().onBackpressureBuffer();
            AtomicLong sentAt = new AtomicLong(System.nanoTime());
            AtomicBoolean finished = new AtomicBoolean();
            out.tryEmitNext(message);
            Flux<String> loop = replies.timeout(timeout, Flux.error(() -> new TimeoutException(
                    "no reply within " + timeout.toMillis() + "ms"))).handle((reply, sink) -> {
                long now = System.nanoTime();
                stats.latencies.record(now - sentAt.get());
                if (keepGoing(stats)) {
                    sentAt.set(now);
                    out.tryEmitNext(message);
                } else {
                    finished.set(true);
                    out.tryEmitComplete();
                    sink.complete();
                }
            });
            return Flux.merge(send.apply(out.asFlux()).then(Mono.<String>empty()), loop)
                    .then(Mono.defer(() -> finished.get() ? Mono.<Void>empty() : Mono.error(new ClosedEarly())));
        }

        /**
         * Sends {@code input} through {@code send} and ends the replies once every message sent got one (or
         * after {@code timeout} without a reply).
         */
        Flux<String> untilAnswered(Flux<String> input, Function<Flux<String>, Mono<Void>> send, Flux<String> replies) {
            AtomicLong sent = new AtomicLong();
            AtomicLong received = new AtomicLong();
            AtomicBoolean inputDone = new AtomicBoolean();
            Sinks.Empty<Void> answered = Sinks.empty();
            Runnable check = () -> {
                if (inputDone.get() && received.get() == sent.get()) {
                    answered.tryEmitEmpty();
                }
            };
            // Each message sent starts a watch: no reply for it within the timeout fails the conversation.
            Sinks.Many<Long> watches = Sinks.many().unicast().onBackpressureBuffer();
            Flux<String> counted = input.doOnNext(m -> watches.tryEmitNext(sent.incrementAndGet()))
                    .doOnComplete(() -> {
                        inputDone.set(true);
                        check.run();
                    });

            Flux<String> timeouts = watches.asFlux().flatMap(k -> Mono.delay(timeout).then(Mono.defer(() ->
                    received.get() < k ? Mono.error(new TimeoutException(
                            "no reply to message " + k + " within " + timeout.toMillis() + "ms")) : Mono.<String>empty())));
            // The server ending the replies before every message was answered ends the conversation at once.
            Flux<String> ending = replies.concatWith(Mono.defer(() -> inputDone.get() && received.get() == sent.get()
                    ? Mono.<String>empty() : Mono.error(new ClosedEarly())));
            // Counted after takeUntilOther: the last reply passes before it ends the stream.
            return Flux.merge(send.apply(counted).then(Mono.<String>empty()), ending, timeouts)
                    .takeUntilOther(answered.asMono())
                    .doOnNext(r -> {
                        received.incrementAndGet();
                        check.run();
                    });
        }
    }

    /** A load connection the server ended before the run did. */
    static final class ClosedEarly extends RuntimeException {
        ClosedEarly() {
            this("the server closed the connection");
        }

        ClosedEarly(String message) {
            super(message);
        }
    }

    /** Round trips and errors of a load run, from every connection. */
    static final class LoadStats {
        final long endNanos;
        final Latencies latencies = new Latencies();
        final AtomicLong errors = new AtomicLong();
        final Map<String, String> firstErrors = new ConcurrentHashMap<>();

        LoadStats(long endNanos) {
            this.endNanos = endNanos;
        }

        void error(Throwable e) {
            errors.incrementAndGet();
            firstErrors.putIfAbsent(Errors.kind(e), Errors.describe(e));
        }
    }

    /** Options of the TCP and UDP clients. */
    abstract static class HostPortClient extends Client {

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "The server's address.")
        String host;

        @Option(names = {"-p", "--port"}, required = true, description = "The server's port.")
        int port;

        @Override
        void target() {
            if (port < 1 || port > 65_535) {
                throw new UsageException("bad port " + port + ": use 1-65535");
            }
        }
    }

    @Command(name = "tcp-client", mixinStandardHelpOptions = true,
            description = "Send lines to a TCP server and print the lines it sends back; or load-test it with --connections and --duration.")
    static final class Tcp extends HostPortClient {

        @Option(names = "--tls", description = "Connect with TLS.")
        boolean tls;

        @Option(names = {"-k", "--insecure"}, description = "With --tls: trust any certificate (a self-signed echo-tcp --tls).")
        boolean insecure;

        private TcpClient client;

        /** One client for every connection of the command (made on first use, once the options are parsed). */
        private synchronized TcpClient client() {
            if (client == null) {
                client = newClient();
            }
            return client;
        }

        private TcpClient newClient() {
            TcpClient.Builder b = TcpClient.builder().framing(Framing.lines(Math.max(Framing.DEFAULT_MAX_FRAME_SIZE, size * 2)));
            if (tls) {
                b.tls(insecure ? ClientTls.insecureTrustAll() : ClientTls.system());
            }
            return b.build();
        }

        @Override
        Flux<String> conversation(Flux<String> input) {
            return client().connect(host, port, c -> untilAnswered(input, c::sendText, c.receiveText()));
        }

        @Override
        Mono<Void> loadConnection(int id, String message, LoadStats stats) {
            return client().connect(host, port, c -> pingPong(c::sendText, c.receiveText(), message, stats)).then();
        }
    }

    @Command(name = "udp-client", mixinStandardHelpOptions = true,
            description = "Send each line as a datagram to a UDP server and print the datagrams it sends back; or load-test it with --connections (senders) and --duration. A lost datagram is an error.")
    static final class Udp extends HostPortClient {

        private InetSocketAddress server() {
            return new InetSocketAddress(host, port);
        }

        @Override
        Flux<String> conversation(Flux<String> input) {
            return Flux.usingWhen(UdpEndpoint.bind("127.0.0.1".equals(host) ? "127.0.0.1" : "0.0.0.0", 0),
                    endpoint -> untilAnswered(input,
                            lines -> endpoint.send(lines.map(line -> Datagram.of(line, server()))),
                            endpoint.receive().map(Datagram::text)),
                    UdpEndpoint::close);
        }

        @Override
        Mono<Void> loadConnection(int id, String message, LoadStats stats) {
            return Mono.usingWhen(UdpEndpoint.bind("127.0.0.1".equals(host) ? "127.0.0.1" : "0.0.0.0", 0),
                    endpoint -> {
                        AtomicLong seq = new AtomicLong();
                        // Each datagram is numbered, so a late echo of a lost one is not taken for the current one.
                        Mono<Void> roundTrip = Mono.defer(() -> {
                            String header = id + ":" + seq.incrementAndGet() + ":";
                            String body = header + message.substring(0, Math.max(0, Math.min(message.length(),
                                    size - header.length())));
                            long t0 = System.nanoTime();
                            return Mono.zip(endpoint.receive().map(Datagram::text).filter(body::equals).next()
                                                    .timeout(timeout, Mono.error(() -> new TimeoutException(
                                                            "no reply within " + timeout.toMillis() + "ms (lost, or no server)"))),
                                            endpoint.send(Datagram.of(body, server())).thenReturn(true))
                                    .doOnNext(x -> stats.latencies.record(System.nanoTime() - t0))
                                    .onErrorResume(e -> {
                                        stats.error(e);
                                        return Mono.empty();
                                    })
                                    .then();
                        });
                        return roundTrip.repeat(() -> keepGoing(stats)).then();
                    },
                    UdpEndpoint::close);
        }
    }

    @Command(name = "ws-client", mixinStandardHelpOptions = true,
            description = "Send lines as WebSocket text messages and print the messages that come back; or load-test the server with --connections and --duration.")
    static final class Ws extends Client {

        @Parameters(index = "0", paramLabel = "URL", description = "The WebSocket URL, for example ws://127.0.0.1:8080/ws.")
        String url;

        @Option(names = {"-k", "--insecure"}, description = "With wss://: trust any certificate (a self-signed echo-ws --tls).")
        boolean insecure;

        @Override
        void target() {
            url = Urls.ws(url);
        }

        private WebSocketOptions options() {
            WebSocketOptions.Builder b = WebSocketOptions.builder().maxMessageSize(Math.max(WebSocketOptions.DEFAULT_MAX_MESSAGE_SIZE, size * 2));
            if (insecure) {
                b.tls(ClientTls.insecureTrustAll());
            }
            return b.build();
        }

        private static Flux<String> texts(Flux<WsMessage> messages) {
            return messages.ofType(WsMessage.Text.class).map(WsMessage.Text::text);
        }

        @Override
        Flux<String> conversation(Flux<String> input) {
            // A server's close with a code of its own (1008 "room must be...") is the error shown.
            return WebSockets.connect(url, options(), session -> untilAnswered(input,
                    lines -> session.send(lines.map(WsMessage::text)), texts(session.receive())
                            .concatWith(session.closeStatus().filter(status -> status.code() != 1000)
                                    .flatMap(status -> Mono.error(new ClosedEarly("the server closed the session: "
                                            + status.code() + " " + status.reason()))))));
        }

        @Override
        Mono<Void> loadConnection(int id, String message, LoadStats stats) {
            return WebSockets.connect(url, options(), session -> pingPong(
                    lines -> session.send(lines.map(WsMessage::text)), texts(session.receive()), message, stats)
                    .onErrorResume(ClosedEarly.class, e -> session.closeStatus()
                            .map(status -> "the server closed the session: " + status.code() + " " + status.reason())
                            .defaultIfEmpty(e.getMessage())
                            .flatMap(why -> Mono.error(new ClosedEarly(why))))).then();
        }
    }
}
