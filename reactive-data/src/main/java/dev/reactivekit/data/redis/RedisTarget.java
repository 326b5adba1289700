package dev.reactivekit.data.redis;

import io.lettuce.core.RedisURI;
import java.util.List;

/**
 * Where a {@link RedisStore} connects: one URI (a server, a Sentinel group or a socket), or the seed nodes of a
 * Cluster; {@code display} names it in messages, without credentials.
 */
record RedisTarget(List<RedisURI> uris, boolean cluster, String display) {
}
