package dev.reactivekit.io;

import dev.reactivekit.core.PermanentException;
import java.nio.charset.CharacterCodingException;

/**
 * Text that was read as lines is not valid in its charset (for example a byte sequence that is not UTF-8).
 * The message names the source (a file path, a process stream) and the line; the cause is the JDK's
 * {@link java.nio.charset.MalformedInputException} or {@link java.nio.charset.UnmappableCharacterException}.
 */
public final class MalformedTextException extends PermanentException {

    private static final long serialVersionUID = 1L;

    public MalformedTextException(String message, CharacterCodingException cause) {
        super(message, cause);
    }
}
