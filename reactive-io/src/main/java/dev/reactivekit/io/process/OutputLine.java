package dev.reactivekit.io.process;

/**
 * One line a process wrote, and where.
 *
 * @param stderr whether it came from standard error (otherwise standard output)
 * @param text   the line, without its terminator
 */
public record OutputLine(boolean stderr, String text) {
}
