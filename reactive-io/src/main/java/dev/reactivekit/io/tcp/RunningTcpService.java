package dev.reactivekit.io.tcp;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** A started {@link TcpService}. */
public interface RunningTcpService {

    int port();

    String host();

    /** Connections open now. */
    int activeConnections();

    /**
     * Stops accepting connections, lets handlers in progress finish within {@code grace}, then closes the rest.
     * Never blocks.
     */
    Mono<Void> stop(Duration grace);

    /** Completes when the service has stopped. */
    Mono<Void> onStop();
}
