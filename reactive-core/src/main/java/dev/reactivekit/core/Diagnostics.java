package dev.reactivekit.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development aids, as asyncio's debug mode: find the calls that block a thread that must never block.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     Diagnostics.detectBlockingCalls();      // first line of main, in development and tests
 *     ...
 * }
 * }</pre>
 *
 * Needs {@code io.projectreactor.tools:blockhound} on the class path (reactive-core declares it optional) and,
 * on JDK 13 or later, the JVM flag {@code -XX:+AllowRedefinitionToAddDeleteMethods}. Once installed, a blocking
 * call ({@code Thread.sleep}, blocking socket or file I/O, {@code Mono.block()}, a contended
 * {@code ReentrantLock}) on a Reactor non-blocking thread (parallel, single, Netty event loops) is reported.
 * BlockHound instruments JDK classes for the life of the JVM and costs some speed: enable it in development,
 * tests and staging, not on hot production paths. ReactiveKit's own test suite runs with it on.
 */
public final class Diagnostics {

    private static final Logger log = LoggerFactory.getLogger(Diagnostics.class);

    private Diagnostics() {
    }

    /**
     * Installs BlockHound so that a blocking call on a non-blocking thread throws
     * {@code reactor.blockhound.BlockingOperationError} in the offending pipeline. Idempotent.
     *
     * @throws IllegalStateException if BlockHound is missing from the class path or cannot instrument the JVM
     *                               (the message says which JVM flag to add)
     */
    public static void detectBlockingCalls() {
        requireBlockHound();
        reactor.blockhound.BlockHound.install();
    }

    /**
     * Installs BlockHound in report-only mode: each blocking call on a non-blocking thread is logged as a
     * warning with its stack trace through SLF4J, and the call goes on. For staging environments where
     * failing a request would be worse than a slow one.
     *
     * @throws IllegalStateException as {@link #detectBlockingCalls()}
     */
    public static void logBlockingCalls() {
        requireBlockHound();
        reactor.blockhound.BlockHound.builder()
                .loadIntegrations()
                .blockingMethodCallback(method -> log.warn("blocking call on a non-blocking thread {}: {}",
                        Thread.currentThread().getName(), method, new Exception("stack trace of the blocking call")))
                .install();
    }

    private static void requireBlockHound() {
        try {
            Class.forName("reactor.blockhound.BlockHound", false, Diagnostics.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("blocking-call detection needs BlockHound on the class path: add "
                    + "io.projectreactor.tools:blockhound (and -XX:+AllowRedefinitionToAddDeleteMethods on JDK 13+)", e);
        }
    }
}
