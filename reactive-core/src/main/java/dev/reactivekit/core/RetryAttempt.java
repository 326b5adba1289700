package dev.reactivekit.core;

import java.time.Duration;

/**
 * One failed attempt that {@link RetryPolicy} is about to retry, as told to its
 * {@link RetryPolicy#onRetry attempt listener}.
 *
 * @param operation the operation's name
 * @param attempt   the number of the attempt that failed, starting at 1
 * @param failure   what it failed with
 * @param delay     how long the policy waits before the next attempt
 */
public record RetryAttempt(String operation, int attempt, Throwable failure, Duration delay) {
}
