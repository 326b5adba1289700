package dev.reactivekit.data.redis;

import static io.lettuce.core.protocol.CommandType.XACK;
import static io.lettuce.core.protocol.CommandType.XADD;
import static io.lettuce.core.protocol.CommandType.XAUTOCLAIM;
import static io.lettuce.core.protocol.CommandType.XCLAIM;
import static io.lettuce.core.protocol.CommandType.XDEL;
import static io.lettuce.core.protocol.CommandType.XGROUP;
import static io.lettuce.core.protocol.CommandType.XLEN;
import static io.lettuce.core.protocol.CommandType.XPENDING;
import static io.lettuce.core.protocol.CommandType.XRANGE;
import static io.lettuce.core.protocol.CommandType.XREADGROUP;

import dev.reactivekit.core.internal.Checks;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import io.lettuce.core.output.ClaimedMessagesOutput;
import io.lettuce.core.output.PendingMessageListOutput;
import io.lettuce.core.output.PendingMessagesOutput;
import io.lettuce.core.output.StreamMessageListOutput;
import io.lettuce.core.output.StreamReadOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Stream commands: appending, reading by range or by consumer group, and recovering what a consumer that died
 * held ({@code XPENDING}, {@code XCLAIM}, {@code XAUTOCLAIM}). Part of {@link RedisCommands}. (Reading new
 * entries as they arrive, waiting for them, is the store's alone: {@link RedisStore#readGroup}.)
 *
 * <pre>{@code
 * // every minute: take over what any consumer has held for more than 5 minutes without acknowledging it
 * redis.xautoclaim("orders", "billing", "worker-2", Duration.ofMinutes(5), "0-0", 100)
 *      .flatMapIterable(StreamClaim::entries)
 *      .concatMap(entry -> process(entry).then(entry.ack()));
 * }</pre>
 *
 * @param <V> the field value type
 */
public sealed interface RedisStreamCommands<V> permits RedisCommands {

    /** {@code XADD stream * field value ...}: the new entry's id. A write. */
    default Mono<String> xadd(String stream, Map<String, V> fields) {
        CommandRunner<V> r = runner();
        return r.write("XADD", stream, XADD, fields(r.key(stream).add("*"), fields), r.status(), CommandRunner.same());
    }

    /**
     * {@code XADD stream MAXLEN ~ maxLength * field value ...}: appends, then trims the stream to about
     * {@code maxLength} entries, oldest first (Redis trims whole nodes, so a few more may stay). A write.
     */
    default Mono<String> xadd(String stream, Map<String, V> fields, long maxLength) {
        CommandRunner<V> r = runner();
        Checks.positive(maxLength, "maxLength");
        CommandArgs<String, V> args = r.key(stream).add(CommandKeyword.MAXLEN).add("~").add(maxLength).add("*");
        return r.write("XADD", stream, XADD, fields(args, fields), r.status(), CommandRunner.same());
    }

    /** {@code XLEN stream}: its length, 0 when it does not exist. A read. */
    default Mono<Long> xlen(String stream) {
        CommandRunner<V> r = runner();
        return r.read("XLEN", stream, XLEN, r.key(stream), r.integer(), CommandRunner.same());
    }

    /**
     * {@code XRANGE stream start end COUNT count}: up to {@code count} entries with ids from {@code start} to
     * {@code end} ({@code "-"} and {@code "+"} for the first and the last). They belong to no group. A read.
     */
    default Mono<List<StreamEntry<V>>> xrange(String stream, String start, String end, int count) {
        CommandRunner<V> r = runner();
        Checks.positive(count, "count");
        CommandArgs<String, V> args = r.key(stream).add(Checks.notNull(start, "start")).add(Checks.notNull(end, "end"))
                .add(CommandKeyword.COUNT).add(count);
        return r.read("XRANGE", stream, XRANGE, args, () -> new StreamMessageListOutput<>(r.codec, stream),
                (List<StreamMessage<String, V>> messages) -> entries(r, messages, null));
    }

    /** {@code XDEL stream id...}: how many entries were deleted. A write. */
    default Mono<Long> xdel(String stream, String... ids) {
        CommandRunner<V> r = runner();
        CommandArgs<String, V> args = r.key(stream);
        CommandRunner.checkValues("id", ids).forEach(args::add);
        return r.write("XDEL", stream, XDEL, args, r.integer(), CommandRunner.same());
    }

    /**
     * {@code XGROUP CREATE stream group $ MKSTREAM}: creates the consumer group (and the stream if needed), reading
     * entries added from now on; {@code false} if the group already existed. A write.
     */
    default Mono<Boolean> xgroupCreate(String stream, String group) {
        return xgroupCreate(stream, group, "$");
    }

    /**
     * {@code XGROUP CREATE stream group startId MKSTREAM}: as {@link #xgroupCreate(String, String)}, the group
     * reading the entries after {@code startId} ({@code "0"}: the whole stream). A write.
     */
    default Mono<Boolean> xgroupCreate(String stream, String group, String startId) {
        CommandRunner<V> r = runner();
        CommandArgs<String, V> args = r.none().add(CommandKeyword.CREATE).addKey(Checks.notNull(stream, "stream"))
                .add(Checks.notNull(group, "group")).add(Checks.notNull(startId, "startId")).add("MKSTREAM");
        return r.run(RedisCall.<V, Boolean>write("XGROUP CREATE", stream, XGROUP, args, r.status(), ok -> Boolean.TRUE)
                .answering(e -> e instanceof RedisCommandExecutionException
                        && String.valueOf(e.getMessage()).startsWith("BUSYGROUP"), Boolean.FALSE));
    }

    /**
     * {@code XREADGROUP GROUP group consumer COUNT count STREAMS stream id}, without waiting: with id {@code ">"},
     * up to {@code count} entries never delivered to the group, now pending for {@code consumer}; with an id such
     * as {@code "0"}, the entries already pending for {@code consumer} after it (what it held before a restart).
     * An empty list when there are none. A write (it moves entries to the consumer).
     */
    default Mono<List<StreamEntry<V>>> xreadgroup(String stream, String group, String consumer, int count, String id) {
        CommandRunner<V> r = runner();
        Checks.positive(count, "count");
        CommandArgs<String, V> args = r.none().add(CommandKeyword.GROUP).add(Checks.notNull(group, "group"))
                .add(Checks.notNull(consumer, "consumer")).add(CommandKeyword.COUNT).add(count).add("STREAMS")
                .addKey(Checks.notNull(stream, "stream")).add(Checks.notNull(id, "id"));
        return r.write("XREADGROUP", stream, XREADGROUP, args, () -> new StreamReadOutput<>(r.codec),
                (List<StreamMessage<String, V>> messages) -> entries(r, messages, group));
    }

    /** {@code XACK stream group id...}: how many of the entries were still pending. A write. */
    default Mono<Long> xack(String stream, String group, String... ids) {
        CommandRunner<V> r = runner();
        CommandArgs<String, V> args = r.key(stream).add(Checks.notNull(group, "group"));
        CommandRunner.checkValues("id", ids).forEach(args::add);
        return r.write("XACK", stream, XACK, args, r.integer(), CommandRunner.same());
    }

    /** {@code XPENDING stream group}: how many entries are pending, their id range, and how many per consumer. A read. */
    default Mono<PendingSummary> xpending(String stream, String group) {
        CommandRunner<V> r = runner();
        return r.read("XPENDING", stream, XPENDING, r.key(stream).add(Checks.notNull(group, "group")),
                () -> new PendingMessagesOutput<>(r.codec), (PendingMessages p) -> new PendingSummary(p.getCount(),
                        p.getCount() == 0 ? null : p.getMessageIds().getLower().getValue(),
                        p.getCount() == 0 ? null : p.getMessageIds().getUpper().getValue(),
                        p.getConsumerMessageCount()));
    }

    /**
     * {@code XPENDING stream group - + count}: up to {@code count} pending entries, oldest first, each with its
     * consumer, idle time and delivery count. A read.
     */
    default Mono<List<PendingEntry>> xpending(String stream, String group, int count) {
        CommandRunner<V> r = runner();
        Checks.positive(count, "count");
        CommandArgs<String, V> args = r.key(stream).add(Checks.notNull(group, "group")).add("-").add("+").add(count);
        return r.read("XPENDING", stream, XPENDING, args, () -> new PendingMessageListOutput<>(r.codec),
                (List<PendingMessage> pending) -> pending.stream()
                        .map(m -> new PendingEntry(m.getId(), m.getConsumer(), m.getSinceLastDelivery(),
                                m.getRedeliveryCount()))
                        .toList());
    }

    /**
     * {@code XCLAIM stream group consumer minIdle id...}: takes the entries, among {@code ids}, that have been
     * pending for at least {@code minIdle}, for {@code consumer}; emits them (their delivery count raised).
     * Entries another consumer took meanwhile, or that were acknowledged, are left out. A write.
     */
    default Mono<List<StreamEntry<V>>> xclaim(String stream, String group, String consumer, Duration minIdle,
            String... ids) {
        CommandRunner<V> r = runner();
        CommandArgs<String, V> args = r.key(stream).add(Checks.notNull(group, "group"))
                .add(Checks.notNull(consumer, "consumer")).add(Checks.notNegative(minIdle, "minIdle").toMillis());
        CommandRunner.checkValues("id", ids).forEach(args::add);
        return r.write("XCLAIM", stream, XCLAIM, args, () -> new StreamMessageListOutput<>(r.codec, stream),
                (List<StreamMessage<String, V>> messages) -> entries(r, messages, group));
    }

    /**
     * {@code XAUTOCLAIM stream group consumer minIdle start COUNT count}: scans the group's pending entries from
     * {@code start} ({@code "0-0"} first) and takes, for {@code consumer}, up to {@code count} of those pending for
     * at least {@code minIdle}: what a crashed consumer held. Emits them and where to continue the scan. A write.
     */
    default Mono<StreamClaim<V>> xautoclaim(String stream, String group, String consumer, Duration minIdle,
            String start, int count) {
        CommandRunner<V> r = runner();
        Checks.positive(count, "count");
        CommandArgs<String, V> args = r.key(stream).add(Checks.notNull(group, "group"))
                .add(Checks.notNull(consumer, "consumer")).add(Checks.notNegative(minIdle, "minIdle").toMillis())
                .add(Checks.notNull(start, "start")).add(CommandKeyword.COUNT).add(count);
        return r.write("XAUTOCLAIM", stream, XAUTOCLAIM, args, () -> new ClaimedMessagesOutput<>(r.codec, stream, false),
                (ClaimedMessages<String, V> claimed) -> new StreamClaim<>(claimed.getId(),
                        entries(r, claimed.getMessages(), group)));
    }

    private CommandRunner<V> runner() {
        return CommandRunner.of((RedisCommands<V>) this);
    }

    private static <V> CommandArgs<String, V> fields(CommandArgs<String, V> args, Map<String, V> fields) {
        Checks.notNull(fields, "fields");
        Checks.isTrue(!fields.isEmpty(), () -> "an entry needs at least one field");
        fields.forEach((field, value) -> args.addKey(Checks.notNull(field, "field"))
                .addValue(Checks.notNull(value, "value of field " + field)));
        return args;
    }

    private static <V> List<StreamEntry<V>> entries(CommandRunner<V> r, List<StreamMessage<String, V>> messages,
            String group) {
        if (messages == null) {
            return List.of();
        }
        return messages.stream()
                // XCLAIM and XAUTOCLAIM answer nil for an entry deleted while pending
                .filter(m -> m != null && m.getBody() != null)
                .map(m -> new StreamEntry<>(m.getStream(), m.getId(), m.getBody(), r.store(), group))
                .toList();
    }
}
