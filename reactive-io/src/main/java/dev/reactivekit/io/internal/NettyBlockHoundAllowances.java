package dev.reactivekit.io.internal;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Short, bounded locks inside Netty that BlockHound would report as blocking calls on event loops. Loaded by
 * BlockHound's service loader, so only when an application (or a test JVM) installs BlockHound. Internal.
 * <p>
 * Netty 4.2's adaptive buffer allocator takes a {@code StampedLock} for a few instructions when it expands or
 * frees its magazines; under contention that parks the thread for an instant. Netty's own BlockHound integration
 * (4.2.17) lists the older pooled allocator's equivalent locks but not these.
 * <p>
 * Jackson (behind {@code FetchResult.json} and {@code ServerReply.json}, often called on an event loop) builds a
 * type's deserializer once, under a {@code ReentrantLock}; two threads reading the same new type at once wait
 * for each other for that instant.
 */
public final class NettyBlockHoundAllowances implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free")
                .allowBlockingCallsInside("com.fasterxml.jackson.databind.deser.DeserializerCache",
                        "_createAndCacheValueDeserializer");
    }
}
