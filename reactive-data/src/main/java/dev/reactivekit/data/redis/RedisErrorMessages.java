package dev.reactivekit.data.redis;

/** Error messages that name a command and its key, bounded in length. */
final class RedisErrorMessages {

    /** Keys longer than this are cut in messages. */
    static final int MAX_KEY_CHARS = 200;

    private RedisErrorMessages() {
    }

    static String describe(String command, String key, String detail) {
        StringBuilder b = new StringBuilder("Redis ").append(command);
        if (key != null) {
            b.append(' ').append(shorten(key));
        }
        return b.append(" failed: ").append(detail).toString();
    }

    static String shorten(String key) {
        return key.length() <= MAX_KEY_CHARS ? key : key.substring(0, MAX_KEY_CHARS) + "...(" + key.length() + " chars)";
    }
}
