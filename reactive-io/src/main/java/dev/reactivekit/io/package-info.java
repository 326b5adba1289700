/**
 * ReactiveKit I/O: HTTP client and server, TCP, UDP, WebSocket, files, pipes and processes, as Mono/Flux
 * pipelines over Reactor Netty. The sub-packages ({@code http}, {@code tcp}, {@code udp}, {@code ws},
 * {@code file}, {@code process}) arrive with their issues; this placeholder keeps the module in the build.
 */
package dev.reactivekit.io;
