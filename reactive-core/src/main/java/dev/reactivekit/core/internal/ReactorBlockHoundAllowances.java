package dev.reactivekit.core.internal;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Short, bounded locks inside Reactor's schedulers that BlockHound would report as blocking calls. Loaded by
 * BlockHound's service loader, so only when an application (or a test JVM) installs BlockHound. Internal.
 * <p>
 * Cancelling a periodic task ({@code Flux.interval}, {@code schedulePeriodically}) removes it from its
 * {@code ScheduledThreadPoolExecutor}'s queue under that queue's lock; when the scheduler's own thread holds the
 * lock at that instant, the cancelling thread parks for it. Reactor's integration (3.8.7) allows this for one-shot
 * tasks ({@code SchedulerTask}, {@code WorkerTask}) but not for periodic ones, so an interval cancelled from an event
 * loop (a reply that ends a polling loop, say) failed under BlockHound with the error thrown out of the cancel.
 */
public final class ReactorBlockHoundAllowances implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("reactor.core.scheduler.PeriodicWorkerTask", "dispose")
                .allowBlockingCallsInside("reactor.core.scheduler.PeriodicSchedulerTask", "dispose")
                .allowBlockingCallsInside("reactor.core.scheduler.InstantPeriodicWorkerTask", "dispose");
    }
}
