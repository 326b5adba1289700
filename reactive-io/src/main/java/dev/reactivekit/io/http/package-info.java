/**
 * HTTP over Reactor Netty: {@link dev.reactivekit.io.http.HttpFetcher}, a client with bounded pools, timeouts,
 * retries and body limits (aiohttp's ClientSession), and {@link dev.reactivekit.io.http.HttpService}, a
 * route-based server (aiohttp.web). No Netty type appears in this package's API.
 */
package dev.reactivekit.io.http;
