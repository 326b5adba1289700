package dev.reactivekit.perf.core;

import dev.reactivekit.core.Policy;
import dev.reactivekit.core.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;

/**
 * What {@link Policy#apply} costs an operation that succeeds at once: a bare {@code Mono} against the same one
 * under a policy of a timeout and a retry (the fetcher's default shape), and under {@link Policy#none()}.
 * Operations per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class PolicyBenchmark {

    final Policy policy = Policy.builder().timeout(Duration.ofSeconds(30))
            .retry(RetryPolicy.exponential(Duration.ofMillis(100)).maxAttempts(3)).build();
    final Policy none = Policy.none();
    final Mono<Integer> operation = Mono.fromCallable(() -> 42);

    @Benchmark
    public Integer bareMono() {
        return operation.block();
    }

    @Benchmark
    public Integer policyApply() {
        return policy.apply(operation).block();
    }

    @Benchmark
    public Integer policyNone() {
        return none.apply(operation).block();
    }
}
