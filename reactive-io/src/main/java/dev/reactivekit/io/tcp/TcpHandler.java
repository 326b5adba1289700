package dev.reactivekit.io.tcp;

import org.reactivestreams.Publisher;

/**
 * What a {@link TcpService} does with each connection (asyncio's {@code handle_client}); the connection closes
 * when the returned publisher ends.
 */
@FunctionalInterface
public interface TcpHandler {

    Publisher<Void> handle(TcpConnection connection);

    /** Sends back everything it receives (the seeds' echo server), frame by frame when framed. */
    static TcpHandler echo() {
        return Echo.INSTANCE;
    }

    /** The echo handler; a {@link TcpService} without framing runs it directly on Netty's buffers. */
    final class Echo implements TcpHandler {
        static final Echo INSTANCE = new Echo();

        private Echo() {
        }

        @Override
        public Publisher<Void> handle(TcpConnection connection) {
            return connection.send(connection.receive());
        }
    }
}
