/**
 * ReactiveKit's core: tasks, policies (retry, timeouts, deadlines, concurrency limits) and async primitives
 * over Project Reactor. {@code dev.reactivekit.core.internal} is not API: it is open to the other ReactiveKit
 * modules only.
 */
module dev.reactivekit.core {
    requires transitive reactor.core;
    requires transitive org.reactivestreams;
    requires org.slf4j;
    // Optional: only where an application uses them (Resilience4j.circuitBreaker, Diagnostics).
    requires static io.github.resilience4j.circuitbreaker;
    requires static io.github.resilience4j.reactor;
    requires static reactor.blockhound;

    exports dev.reactivekit.core;
    exports dev.reactivekit.core.sync;
    exports dev.reactivekit.core.resilience4j;
    exports dev.reactivekit.core.internal to dev.reactivekit.io, dev.reactivekit.data;
}
