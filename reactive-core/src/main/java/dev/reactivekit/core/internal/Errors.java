package dev.reactivekit.core.internal;

/** Error-message helpers shared by the exceptions. Internal. */
public final class Errors {

    private Errors() {
    }

    /** The throwable's message, or its class name when it has none. */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isEmpty() ? t.getClass().getName() : message;
    }
}
