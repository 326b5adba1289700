package dev.reactivekit.showcase.cli;

import dev.reactivekit.core.AsyncCloseable;
import java.time.Duration;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/** How a server command runs: start, print where it listens, serve until Ctrl-C or SIGTERM, stop gracefully. */
public final class Servers {

    /** How long a stopping server lets requests and connections in progress finish. */
    public static final Duration GRACE = Duration.ofSeconds(5);

    private Servers() {
    }

    /**
     * Starts the server, prints {@code listening on <url>} on stdout (or a JSON line), and serves until the user
     * interrupts; then closes it with {@code close(grace)} and returns 0. A server that cannot start fails with
     * the library's error ("cannot listen on 127.0.0.1:8080: Address already in use").
     */
    public static <S extends AsyncCloseable> int serve(Console console, boolean json, Mono<S> start,
            Function<S, String> url) {
        S server = start.block(Duration.ofSeconds(30));
        if (server == null) {
            throw new IllegalStateException("the server did not start");
        }
        String where = url.apply(server);
        if (json) {
            console.json(java.util.Map.of("event", "listening", "url", where));
        } else {
            console.out().println("listening on " + where);
        }
        console.interrupted().block();
        console.note("stopping %s (up to %ds for work in progress)", where, GRACE.toSeconds());
        server.close(GRACE).block(GRACE.plusSeconds(5));
        console.note("stopped");
        return ExitCodes.OK;
    }
}
