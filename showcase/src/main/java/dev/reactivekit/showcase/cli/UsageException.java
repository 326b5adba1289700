package dev.reactivekit.showcase.cli;

/** Bad input on the command line, found by a command after parsing: exit code 2, one line naming it. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
