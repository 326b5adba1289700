package dev.reactivekit.io.http;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** A started {@link HttpService}: where it listens, and how to stop it. */
public interface RunningService {

    /** The port it listens on (the one chosen, when started on port 0). */
    int port();

    /** The address it listens on. */
    String host();

    /** {@code http(s)://host:port} followed by {@code path}. */
    String url(String path);

    /**
     * Stops accepting connections, lets requests in progress finish within {@code grace}, then closes every
     * connection. Completes when the server is down. Never blocks.
     */
    Mono<Void> stop(Duration grace);

    /** Completes when the service has stopped, however it was stopped. */
    Mono<Void> onStop();
}
