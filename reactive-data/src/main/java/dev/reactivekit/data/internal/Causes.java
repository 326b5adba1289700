package dev.reactivekit.data.internal;

import java.io.IOException;

/** What actually went wrong, for error messages. Internal. */
public final class Causes {

    private Causes() {
    }

    /**
     * The first I/O error's message in the cause chain ("Connection refused", "Failed to resolve 'nohost'"),
     * else the innermost cause's.
     */
    public static String rootMessage(Throwable error) {
        Throwable root = error;
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            root = e;
            if (e instanceof IOException && e.getMessage() != null) {
                return e.getMessage();
            }
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
