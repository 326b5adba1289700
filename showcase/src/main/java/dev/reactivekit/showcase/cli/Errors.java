package dev.reactivekit.showcase.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import reactor.core.Exceptions;

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

    /** A short name for the kind of error, for summaries ("errors by kind"). */
    public static String kind(Throwable error) {
        return unwrap(error).getClass().getSimpleName();
    }
}
