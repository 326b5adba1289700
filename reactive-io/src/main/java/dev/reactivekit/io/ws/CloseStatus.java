package dev.reactivekit.io.ws;

/**
 * Why a WebSocket closed: the code (1000 normal, 1001 going away, 1009 message too big...) and reason.
 *
 * @param code   the close code
 * @param reason the reason text, possibly empty
 */
public record CloseStatus(int code, String reason) {

    /** 1000: normal closure. */
    public static final CloseStatus NORMAL = new CloseStatus(1000, "");
}
