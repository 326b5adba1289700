/**
 * TCP servers and clients (asyncio's {@code start_server} and {@code open_connection}) over Reactor Netty:
 * connections as byte or message streams with backpressure, framing, limits and graceful shutdown.
 */
package dev.reactivekit.io.tcp;
