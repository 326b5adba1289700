package dev.reactivekit.io.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class AsyncPipeTest {

    @Test
    void whatIsWrittenComesOutOfTheOtherEnd() {
        AsyncPipe pipe = AsyncPipe.open().block(Duration.ofSeconds(5));
        Mono<Long> writer = pipe.write(Flux.just("Hello ", "pipe").map(s -> ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8))));
        Mono<String> reader = pipe.source()
                .map(b -> StandardCharsets.UTF_8.decode(b).toString())
                .reduce(String::concat);
        StepVerifier.create(Mono.zip(reader, writer)).assertNext(t -> {
            assertThat(t.getT1()).isEqualTo("Hello pipe");
            assertThat(t.getT2()).isEqualTo(10L);
        }).verifyComplete();
        StepVerifier.create(pipe.close()).verifyComplete();
    }

    @Test
    void aWriterWaitsForTheReaderWhenThePipeIsFull() {
        AsyncPipe pipe = AsyncPipe.open().block(Duration.ofSeconds(5));
        int chunks = 200;   // 200 x 8 KiB = 1.6 MB, far beyond the 64 KiB pipe buffer
        Mono<Long> writer = pipe.write(Flux.range(0, chunks).map(i -> ByteBuffer.wrap(new byte[8192])));
        Mono<Long> reader = pipe.source().map(ByteBuffer::remaining).reduce(0L, (a, b) -> a + b);
        StepVerifier.create(Mono.zip(writer, reader))
                .assertNext(t -> assertThat(t.getT1()).isEqualTo(t.getT2()).isEqualTo(chunks * 8192L))
                .verifyComplete();
    }

    @Test
    void closingEndsAPendingRead() {
        AsyncPipe pipe = AsyncPipe.open().block(Duration.ofSeconds(5));
        StepVerifier.create(pipe.source())
                .expectSubscription()
                .then(() -> pipe.write(Flux.empty()).block(Duration.ofSeconds(5)))   // closes the writing end: EOF
                .verifyComplete();
    }
}
