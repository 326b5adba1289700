package dev.reactivekit.core.sync;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

final class OfferMono<T> extends Mono<Void> {
    private final AsyncQueue<T> queue;
    private final T item;

    OfferMono(AsyncQueue<T> queue, T item) {
        this.queue = queue;
        this.item = item;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Void> actual) {
        Putter<T> p = new Putter<>(actual, queue, item);
        actual.onSubscribe(p);
        queue.register(p);
    }
}
