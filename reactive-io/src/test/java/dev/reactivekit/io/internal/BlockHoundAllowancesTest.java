package dev.reactivekit.io.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** What {@link NettyBlockHoundAllowances} lets through, on a non-blocking thread of the BlockHound-installed test JVM. */
class BlockHoundAllowancesTest {

    record Fresh(int a, String b) {
    }

    @Test
    void jacksonBuildingADeserializerWhileAnotherThreadDoesIsAllowedOnAnEventLoop() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        // Jackson's own lock, held here as another thread building a deserializer would hold it for an instant.
        Field context = ObjectMapper.class.getDeclaredField("_deserializationContext");
        context.setAccessible(true);
        Field cacheField = DeserializationContext.class.getDeclaredField("_cache");
        cacheField.setAccessible(true);
        Object cache = cacheField.get(context.get(mapper));
        Field lockField = cache.getClass().getDeclaredField("_incompleteDeserializersLock");
        lockField.setAccessible(true);
        ReentrantLock lock = (ReentrantLock) lockField.get(cache);
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread holder = new Thread(() -> {
            lock.lock();
            try {
                held.countDown();
                // Held until the reader waits for it (or has failed), so that it does wait.
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!lock.hasQueuedThreads() && !done.get() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            } finally {
                lock.unlock();
            }
        }, "jackson-lock-holder");
        holder.start();
        assertThat(held.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Mono<Fresh> read = Mono.fromCallable(() -> mapper.readValue("{\"a\":1,\"b\":\"x\"}", Fresh.class))
                .subscribeOn(Schedulers.parallel())
                .doFinally(signal -> done.set(true));
        StepVerifier.create(read).expectNext(new Fresh(1, "x")).verifyComplete();
        holder.join();
    }
}
