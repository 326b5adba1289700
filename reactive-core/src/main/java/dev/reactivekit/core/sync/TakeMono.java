package dev.reactivekit.core.sync;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

final class TakeMono<T> extends Mono<T> {
    private final AsyncQueue<T> queue;

    TakeMono(AsyncQueue<T> queue) {
        this.queue = queue;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        MonoTaker<T> t = new MonoTaker<>(actual, queue);
        actual.onSubscribe(t);
        queue.register(t);
    }
}
