package dev.reactivekit.io.tcp;

import dev.reactivekit.core.AsyncCloseable;
import java.time.Duration;
import reactor.core.publisher.Mono;

/** A started {@link TcpService}: where it listens, and how to stop it ({@link #close(Duration)}). */
public interface RunningTcpService extends AsyncCloseable {

    /** How long {@link #close()} lets handlers in progress finish: 10 seconds. */
    Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(10);

    /** The port it listens on (the one chosen, when started on port 0). */
    int port();

    /** The address it listens on. */
    String host();

    /** Connections open now. */
    int activeConnections();

    /**
     * Stops accepting connections, lets handlers in progress finish within {@code grace}, then closes the rest.
     * Completes when the server is down. Never blocks.
     */
    @Override
    Mono<Void> close(Duration grace);

    /** {@link #close(Duration)} with {@link #DEFAULT_CLOSE_GRACE}. */
    @Override
    default Mono<Void> close() {
        return close(DEFAULT_CLOSE_GRACE);
    }

    /** Completes when the service has stopped, however it was stopped. */
    Mono<Void> onClose();
}
