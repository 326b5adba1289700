package dev.reactivekit.data.internal;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Short, bounded locks inside the drivers (Lettuce, r2dbc-mariadb) that BlockHound would report as blocking calls on event loops. Loaded by
 * BlockHound's service loader, so only when an application (or a test JVM) installs BlockHound. Internal.
 * <p>
 * Every command write takes the endpoint's {@code SharedLock} (a {@code ReentrantLock} held for a few
 * instructions); two threads writing to one connection at once make one park for an instant. Worse than a
 * false report: if BlockHound throws from inside {@code incrementWriters}, Lettuce's {@code finally} still
 * decrements the writer count, which goes negative, and every later write on that connection spins forever
 * (the wedge of lettuce issues 3804 and 3880). So these methods must never be interrupted by BlockHound.
 * <p>
 * With a bounded request queue (ReactiveKit's default) the endpoint's command buffers are
 * {@code ArrayBlockingQueue}s, whose {@code size()} and {@code add()} take a lock too: every write checks the
 * queue size. A BlockHound error there escapes from the middle of a dispatch and leaves the command never
 * completed, so the caller waits forever.
 * <p>
 * Lettuce builds each {@code rediss://} connection's TLS context as the channel is initialized, on the event
 * loop; initializing an {@code SSLContext} seeds it from {@code /dev/urandom}, a file read that never waits but
 * that BlockHound reports. (The trust store, a real file read, is loaded beforehand off the event loop: see
 * {@link JdkWarmUp}.)
 * <p>
 * Each new Lettuce connection builds its synchronous facade, whose method table comes from a cache guarded by a
 * {@code ReentrantLock} held for one lookup; two connections made at once (a watched transaction opening its
 * dedicated connection when another's reply arrives on the event loop) make one park for an instant.
 * <p>
 * r2dbc-mariadb 1.4.0 guards each connection's command queue with a {@code ReentrantLock}, taken by the caller's
 * thread and the event loop alike (the lambdas are named as the compiler names them in that version).
 */
public final class DriverBlockHoundAllowances implements BlockHoundIntegration {

    private static final String SHARED_LOCK = "io.lettuce.core.protocol.SharedLock";
    private static final String ENDPOINT = "io.lettuce.core.protocol.DefaultEndpoint";
    private static final String MARIADB_CLIENT = "org.mariadb.r2dbc.client.SimpleClient";

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside(SHARED_LOCK, "incrementWriters")
                .allowBlockingCallsInside(SHARED_LOCK, "decrementWriters")
                .allowBlockingCallsInside(SHARED_LOCK, "doExclusive")
                .allowBlockingCallsInside(SHARED_LOCK, "lockWritersExclusive")
                .allowBlockingCallsInside(ENDPOINT, "validateWrite")
                .allowBlockingCallsInside(ENDPOINT, "writeToBuffer")
                .allowBlockingCallsInside(ENDPOINT, "writeToDisconnectedBuffer")
                .allowBlockingCallsInside(ENDPOINT, "drainCommands")
                .allowBlockingCallsInside(ENDPOINT, "initialState")
                .allowBlockingCallsInside("io.lettuce.core.SslConnectionBuilder$SslChannelInitializer",
                        "initializeSSLEngine")
                .allowBlockingCallsInside("io.lettuce.core.internal.AbstractInvocationHandler$MethodTranslator", "of");
        for (String method : new String[] {"sendCommand", "lambda$sendCommand$0", "lambda$sendCommand$2",
                "lambda$receive$0", "sendCommandWithoutResult", "executeWhenTransaction", "executeWhenNotInTransaction",
                "setAutoCommit"}) {
            builder.allowBlockingCallsInside(MARIADB_CLIENT, method);
        }
    }
}
