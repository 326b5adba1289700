package dev.reactivekit.data.sql;

import java.time.Instant;

/**
 * What {@link Database#listen(String)} emits: a {@link Message} from {@code NOTIFY}, or a {@link Gap} when the
 * listening connection was lost and {@code LISTEN} re-established on a new one: notifications sent meanwhile
 * were missed (PostgreSQL keeps none for absent listeners), so callers may need to re-read what they track.
 */
public sealed interface SqlNotification permits SqlNotification.Message, SqlNotification.Gap {

    /**
     * A notification.
     *
     * @param channel  the channel it was sent on
     * @param payload  its payload ({@code ""} when none was given)
     * @param senderPid the process id of the sending backend
     */
    record Message(String channel, String payload, int senderPid) implements SqlNotification {
    }

    /** Listening resumed on {@code channel} at {@code resumedAt} after the connection was lost. */
    record Gap(String channel, Instant resumedAt) implements SqlNotification {
    }
}
