package dev.reactivekit.io.process;

import dev.reactivekit.core.PermanentException;

/**
 * A command could not be started: the program does not exist, is not executable, or the working directory is
 * missing. The message names the command; the cause is the JDK's {@link java.io.IOException}.
 */
public final class ProcessStartException extends PermanentException {

    private static final long serialVersionUID = 1L;

    ProcessStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
