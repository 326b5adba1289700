/**
 * Redis over Lettuce (redis.asyncio / aioredis): {@link dev.reactivekit.data.redis.RedisStore} for commands,
 * pipelines, pub/sub and streams; {@link dev.reactivekit.data.redis.RedisQueue} for a job queue that loses no job
 * when a worker dies. Errors are typed and name the command and key:
 * {@link dev.reactivekit.data.redis.RedisCommandException}, {@link dev.reactivekit.data.redis.RedisWrongTypeException},
 * {@link dev.reactivekit.data.redis.RedisUnavailableException}.
 */
package dev.reactivekit.data.redis;
