/**
 * ReactiveKit's I/O: files, subprocesses and pipes, HTTP client and server, TCP, UDP and WebSocket over Reactor
 * Netty. {@code dev.reactivekit.io.internal} is not API and not exported.
 */
module dev.reactivekit.io {
    requires transitive dev.reactivekit.core;
    requires transitive com.fasterxml.jackson.databind;
    requires reactor.netty.core;
    requires reactor.netty.http;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.resolver;
    requires io.netty.resolver.dns;
    // Reactor Netty names no module: on the module path it reads only what is resolved, so the Netty modules
    // its code links against are required here for it.
    requires io.netty.codec.compression;
    requires io.netty.codec.http2;
    requires io.netty.handler.proxy;
    requires io.netty.transport;
    requires org.slf4j;
    // BlockHound is optional. Its allowances here (META-INF/services) reach it on the class path, where tests
    // and most applications run: a `provides` would need BlockHound present whenever the module is resolved.
    requires static reactor.blockhound;

    exports dev.reactivekit.io;
    exports dev.reactivekit.io.file;
    exports dev.reactivekit.io.http;
    exports dev.reactivekit.io.process;
    exports dev.reactivekit.io.tcp;
    exports dev.reactivekit.io.udp;
    exports dev.reactivekit.io.ws;
}
