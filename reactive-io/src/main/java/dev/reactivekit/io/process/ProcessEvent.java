package dev.reactivekit.io.process;

import java.nio.ByteBuffer;

/**
 * What a running process produces, as {@link Processes#exec} streams it: chunks of its standard output and
 * standard error in the order they were read, then, last, how it exited.
 */
public sealed interface ProcessEvent permits ProcessEvent.Stdout, ProcessEvent.Stderr, ProcessEvent.Exited {

    /** A chunk of standard output. */
    record Stdout(ByteBuffer data) implements ProcessEvent {
    }

    /** A chunk of standard error. */
    record Stderr(ByteBuffer data) implements ProcessEvent {
    }

    /** The process exited with {@code code} (128 + signal number when killed by a signal, on Unix). */
    record Exited(int code) implements ProcessEvent {
    }
}
