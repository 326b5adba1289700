/**
 * Non-blocking, FIFO-fair, cancellation-safe synchronization primitives: asyncio's {@code Semaphore},
 * {@code Lock}, {@code Event} and {@code Queue} as {@code Mono}/{@code Flux} operations.
 * <p>
 * Nothing here blocks a thread: a caller that must wait gets a {@code Mono} that completes when it may proceed.
 * A waiter that is cancelled before it is served never takes a permit or an item, and one that is cancelled
 * just after being served gives it back, so a timeout or a cancelled pipeline cannot leak a permit or lose an
 * item.
 */
package dev.reactivekit.core.sync;
