/**
 * WebSocket servers (mounted on an {@link dev.reactivekit.io.http.HttpService}) and clients, as in Python's
 * websockets library: messages as a {@code Flux}, sending with backpressure, ping/pong, frame limits, close codes.
 */
package dev.reactivekit.io.ws;
