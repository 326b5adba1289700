package dev.reactivekit.showcase;

import dev.reactivekit.io.http.HttpService;
import dev.reactivekit.io.http.RunningService;
import dev.reactivekit.io.http.ServerTls;
import dev.reactivekit.io.tcp.Framing;
import dev.reactivekit.io.tcp.RunningTcpService;
import dev.reactivekit.io.tcp.TcpHandler;
import dev.reactivekit.io.tcp.TcpService;
import dev.reactivekit.io.udp.UdpEndpoint;
import dev.reactivekit.io.ws.WebSocketHandler;
import dev.reactivekit.io.ws.WebSocketOptions;
import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Servers;
import dev.reactivekit.showcase.cli.UsageException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code echo-tcp}, {@code echo-udp}, {@code echo-ws}: the seeds' echo servers, byte for byte. */
final class EchoServers {

    private EchoServers() {
    }

    /** Options every echo server has. */
    abstract static class Server extends AppCommand {

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on.")
        String host;

        @Option(names = {"-p", "--port"}, defaultValue = "0", description = "Port (0 picks a free one).")
        int port;
    }

    /** Options of the connection-oriented servers. */
    abstract static class ConnectionServer extends Server {

        @Option(names = "--max-connections", defaultValue = "10000", description = "Connections served at once; further ones are refused.")
        int maxConnections;

        @Option(names = "--idle-timeout", defaultValue = "5m", description = "A connection silent this long is closed.")
        Duration idleTimeout;

        @Option(names = "--tls", description = "Serve TLS with a self-signed certificate made at startup (clients: --tls --insecure).")
        boolean tls;

        void check() {
            Ports.check(port);
            if (maxConnections < 1 || idleTimeout.isZero() || idleTimeout.isNegative()) {
                throw new UsageException("--max-connections and --idle-timeout must be positive");
            }
        }

        ServerTls tlsOrNull() {
            return tls ? ServerTls.selfSigned("localhost") : null;
        }
    }

    @Command(name = "echo-tcp", mixinStandardHelpOptions = true,
            description = "A TCP echo server: every byte received is sent back, as received.")
    static final class Tcp extends ConnectionServer {

        @Override
        protected int run() {
            check();
            TcpService.Builder b = TcpService.builder().host(host).port(port).framing(Framing.none())
                    .maxConnections(maxConnections).idleTimeout(idleTimeout).handler(TcpHandler.echo());
            ServerTls certificate = tlsOrNull();
            if (certificate != null) {
                b.tls(certificate);
            }
            String scheme = tls ? "tls" : "tcp";
            return Servers.serve(console, json, b.build().start(),
                    (RunningTcpService s) -> scheme + "://" + s.host() + ":" + s.port());
        }
    }

    @Command(name = "echo-udp", mixinStandardHelpOptions = true,
            description = "A UDP echo server: every datagram is sent back to its sender.")
    static final class Udp extends Server {

        @Override
        protected int run() {
            Ports.check(port);
            return Servers.serve(console, json, UdpEndpoint.serve(host, port, UdpEndpoint.echo()),
                    (UdpEndpoint s) -> "udp://" + host + ":" + s.port());
        }
    }

    @Command(name = "echo-ws", mixinStandardHelpOptions = true,
            description = "A WebSocket echo server at /ws: every message is sent back, text as text, binary as binary.")
    static final class Ws extends ConnectionServer {

        @Option(names = "--max-message-size", defaultValue = "1048576", description = "Largest message accepted, in bytes.")
        int maxMessageSize;

        @Override
        protected int run() {
            check();
            AtomicInteger sessions = new AtomicInteger();
            WebSocketHandler echo = WebSocketHandler.echo();
            // At most --max-connections sessions: the next one is told to come back later (1013).
            WebSocketHandler limited = session -> Mono.defer(() -> {
                if (sessions.incrementAndGet() > maxConnections) {
                    return session.close(1013, "too many connections, try again later");
                }
                return Flux.from(echo.handle(session)).then();
            }).doFinally(signal -> sessions.decrementAndGet());
            HttpService.Builder b = HttpService.builder().host(host).port(port).idleTimeout(idleTimeout)
                    .websocket("/ws", limited, WebSocketOptions.builder().maxMessageSize(maxMessageSize).build());
            ServerTls certificate = tlsOrNull();
            if (certificate != null) {
                b.tls(certificate);
            }
            String scheme = tls ? "wss" : "ws";
            return Servers.serve(console, json, b.build().start(),
                    (RunningService s) -> scheme + "://" + s.host() + ":" + s.port() + "/ws");
        }
    }
}
