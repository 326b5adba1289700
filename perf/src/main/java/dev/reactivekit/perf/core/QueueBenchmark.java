package dev.reactivekit.perf.core;

import dev.reactivekit.core.sync.AsyncQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * Moving {@value #ITEMS} items from one producer to one consumer through a bounded buffer of {@code capacity},
 * on one thread: {@link AsyncQueue} ({@code offer} waits while full, the consumer is {@code asFlux()}) against
 * Reactor's {@code Sinks.many().unicast()} over a bounded queue, the closest Reactor building block (it has no
 * waiting producer: {@code tryEmitNext} fails when full, which never happens here because the consumer drains
 * synchronously). Throughput in items per second; the ratio is the cost of AsyncQueue's waiting, fairness and
 * cancellation guarantees per item. {@code asyncQueue} produces with {@code concatMap(queue::offer)}, the
 * idiomatic waiting producer; {@code asyncQueueTryOffer} with a loop, like the sink, to isolate the queue;
 * {@code arrayBlockingQueue} is the blocking hand-off between a producer thread and a consumer thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class QueueBenchmark {

    static final int ITEMS = 100_000;

    @Param({"256"})
    int capacity;

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public Long asyncQueue() {
        AsyncQueue<Integer> queue = AsyncQueue.bounded(capacity);
        Mono<Long> consumer = queue.asFlux().count();
        Mono<Void> producer = Flux.range(0, ITEMS).concatMap(queue::offer).then(Mono.fromRunnable(queue::close));
        return Mono.zip(consumer, producer.thenReturn(0L), Long::sum).block();
    }

    /** The same transfer with the producer calling {@code tryOffer} in a loop, as the sink's producer does. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public Long asyncQueueTryOffer() {
        AsyncQueue<Integer> queue = AsyncQueue.bounded(capacity);
        Mono<Long> consumer = queue.asFlux().count().cache();
        consumer.subscribe();
        for (int i = 0; i < ITEMS; i++) {
            if (!queue.tryOffer(i)) {
                throw new IllegalStateException("the consumer drains synchronously: the queue cannot be full");
            }
        }
        queue.close();
        return consumer.block();
    }

    /** The blocking hand-off a thread-per-task program uses: a producer thread and this one, the consumer. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public Long arrayBlockingQueue() throws InterruptedException {
        java.util.concurrent.ArrayBlockingQueue<Integer> queue = new java.util.concurrent.ArrayBlockingQueue<>(capacity);
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < ITEMS; i++) {
                    queue.put(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        long taken = 0;
        for (int i = 0; i < ITEMS; i++) {
            queue.take();
            taken++;
        }
        producer.join();
        return taken;
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public Long reactorUnicastSink() {
        Sinks.Many<Integer> sink = Sinks.many().unicast().onBackpressureBuffer(Queues.<Integer>get(capacity).get());
        Mono<Long> consumer = sink.asFlux().count().cache();
        consumer.subscribe();
        for (int i = 0; i < ITEMS; i++) {
            sink.emitNext(i, Sinks.EmitFailureHandler.FAIL_FAST);
        }
        sink.emitComplete(Sinks.EmitFailureHandler.FAIL_FAST);
        return consumer.block();
    }
}
