package dev.reactivekit.showcase.cli;

import dev.reactivekit.core.Failures;
import dev.reactivekit.core.RetriesExhaustedException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import reactor.core.Exceptions;
import reactor.util.retry.Retry;

/** One line for people from any error: the library's own messages name what was wrong. */
public final class Errors {

    private Errors() {
    }

    public static Throwable unwrap(Throwable error) {
        Throwable e = Exceptions.unwrap(error);
        while ((e instanceof CompletionException || e instanceof ExecutionException
                || e.getClass().getName().equals("reactor.core.Exceptions$ReactiveException")) && e.getCause() != null) {
            e = Exceptions.unwrap(e.getCause());
        }
        return e;
    }

    public static String describe(Throwable error) {
        Throwable e = unwrap(error);
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }

    /** "GET http://... failed after 3 attempts: GET http://... failed: " before what went wrong. */
    private static final java.util.regex.Pattern REQUEST_PREFIX =
            java.util.regex.Pattern.compile("^(?:[A-Z]+ \\S+(?: failed(?: after \\d+ attempts)?)?: )+");

    /** {@link #describe} without the request in front, for a row that already names the URL. */
    public static String withoutRequest(Throwable error) {
        return REQUEST_PREFIX.matcher(describe(error)).replaceFirst("");
    }

    /**
     * Whether a long-running command should try again: a transient failure, or a client's own retries running
     * out on one (Redis unreachable for longer than the store retries reads, say).
     */
    public static boolean worthRetrying(Throwable error) {
        Throwable e = unwrap(error);
        return Failures.isTransient(e instanceof RetriesExhaustedException exhausted && exhausted.getCause() != null
                ? exhausted.getCause() : e);
    }

    /**
     * The retry of a stream that runs for long (a queue consumer): transient failures tried again with backoff
     * (100 ms doubling to 2 s), eight in a row at most, the count starting again after every item.
     */
    public static Retry resubscribing() {
        return Retry.backoff(8, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2)).filter(Errors::worthRetrying)
                .transientErrors(true).onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }

    /** A short name for the kind of error, for summaries ("errors by kind"). */
    public static String kind(Throwable error) {
        return unwrap(error).getClass().getSimpleName();
    }
}
