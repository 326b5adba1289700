/** UDP endpoints (asyncio's {@code create_datagram_endpoint}) over Reactor Netty. */
package dev.reactivekit.io.udp;
