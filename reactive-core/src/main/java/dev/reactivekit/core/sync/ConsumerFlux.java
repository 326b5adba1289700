package dev.reactivekit.core.sync;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

final class ConsumerFlux<T> extends Flux<T> {
    private final AsyncQueue<T> queue;

    ConsumerFlux(AsyncQueue<T> queue) {
        this.queue = queue;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        FluxTaker<T> c = new FluxTaker<>(actual, queue);
        actual.onSubscribe(c);
        queue.register(c);
    }
}
