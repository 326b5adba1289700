package dev.reactivekit.showcase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.core.AsyncCloseable;
import dev.reactivekit.data.redis.PubSubEvent;
import dev.reactivekit.data.redis.RedisScript;
import dev.reactivekit.data.redis.RedisStore;
import dev.reactivekit.data.redis.ScriptOutput;
import dev.reactivekit.io.http.HttpService;
import dev.reactivekit.io.http.RunningService;
import dev.reactivekit.io.http.ServerReply;
import dev.reactivekit.io.ws.WebSocketOptions;
import dev.reactivekit.io.ws.WebSocketSession;
import dev.reactivekit.io.ws.WsMessage;
import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Servers;
import dev.reactivekit.showcase.cli.Urls;
import dev.reactivekit.showcase.cli.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@code chat}: WebSocket chat rooms whose every message goes through Redis pub/sub, so several chat processes
 * serve one room together. The last messages of each room are kept in Redis and sent to a client that joins;
 * who is in a room is counted across processes; a client that cannot keep up is disconnected (1013) rather than
 * slowing the room; a lost Redis subscription tells the clients that messages may have been missed.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"WebSocket chat rooms over Redis pub/sub: ws://HOST:PORT/ws?room=R&name=N; GET / serves a page to chat from a browser.",
                "Several chat processes on one Redis serve the same rooms."})
final class Chat extends AppCommand {

    private static final Logger log = LoggerFactory.getLogger(Chat.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} _.-]{1,24}");
    /** A member's presence lasts this long unless its server renews it (a server that died stops counting). */
    static final Duration PRESENCE_TTL = Duration.ofSeconds(30);
    /** How long a stopping server waits for the announcements of its clients' leaves. */
    static final Duration LEAVE_WAIT = Duration.ofSeconds(2);

    /**
     * KEYS: the room's history list; ARGV: the event, history length, channel, whether to keep it (messages are
     * kept, joins and leaves not). Keeps and publishes in one step, so the history's order is the order every
     * subscriber sees.
     */
    private static final String POST = """
            if ARGV[4] == '1' then
              redis.call('RPUSH', KEYS[1], ARGV[1])
              redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
            end
            return redis.call('PUBLISH', ARGV[3], ARGV[1])""";

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on.")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "0", description = "Port (0 picks a free one).")
    int port;

    @Option(names = "--redis", paramLabel = "URL", description = "The Redis the chat servers share (default: an embedded one for the duration of the command).")
    String redis;

    @Option(names = "--history", defaultValue = "50", description = "Messages of each room kept and sent to a client that joins.")
    int history;

    @Option(names = "--max-message", defaultValue = "2000", description = "Longest message, in characters.")
    int maxMessage;

    @Option(names = "--send-buffer", defaultValue = "256", description = "Messages waiting for one slow client before it is disconnected (1013).")
    int sendBuffer;

    @Override
    protected int run() {
        Ports.check(port);
        if (history < 0 || maxMessage < 1 || sendBuffer < 1) {
            throw new UsageException("--history must be at least 0, --max-message and --send-buffer at least 1");
        }
        EmbeddedServers.Redis embedded = null;
        String url = redis == null ? null : Urls.redis("--redis", redis);
        if (url == null) {
            console.note("starting an embedded Redis...");
            embedded = EmbeddedServers.Redis.start();
            url = embedded.url();
        }
        try {
            byte[] page = page();   // read once here: never a file read on an event loop
            RedisStore<String> store = RedisStore.connect(url).block(Duration.ofSeconds(30));
            Rooms rooms = new Rooms(store);
            HttpService service = HttpService.builder().host(host).port(port)
                    .get("/", req -> Mono.just(ServerReply.bytes(page, "text/html; charset=utf-8")))
                    .get("/rooms", req -> rooms.counts().map(ServerReply::json))
                    .websocket("/ws", rooms::join, WebSocketOptions.builder()
                            .maxMessageSize(Math.max(64 * 1024, maxMessage * 4)).build())
                    .build();
            return Servers.serve(console, json, rooms.ready().then(service.start())
                            .map(running -> new ChatServer(running, rooms, store)),
                    server -> "http://" + server.running.host() + ":" + server.running.port());
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** The running HTTP service, and what stops with it: the subscription, presence, the Redis connection. */
    private record ChatServer(RunningService running, Rooms rooms, RedisStore<String> store) implements AsyncCloseable {
        @Override
        public Mono<Void> close() {
            return close(Duration.ZERO);
        }

        @Override
        public Mono<Void> close(Duration grace) {
            return running.close(grace)
                    .then(rooms.stop())
                    .then(store.close());
        }
    }

    private static byte[] page() {
        try (InputStream in = Chat.class.getResourceAsStream("/chat.html")) {
            if (in == null) {
                throw new IllegalStateException("chat.html is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rooms this server has clients in, fed by one pattern subscription. */
    final class Rooms {
        private final RedisStore<String> store;
        private final RedisScript<String> post;
        private final String server = UUID.randomUUID().toString().substring(0, 8);
        private final Map<String, Set<Client>> local = new ConcurrentHashMap<>();
        private final Disposable subscription;
        private final Disposable presence;
        private final String probe = "rk:chat:room:~probe-" + server;
        private final Sinks.Empty<Void> subscribed = Sinks.empty();
        /** Leaves being announced now: stop waits for them. */
        private final AtomicInteger announcing = new AtomicInteger();

        Rooms(RedisStore<String> store) {
            this.store = store;
            this.post = store.script(POST);
            this.subscription = store.psubscribe("rk:chat:room:*").subscribe(this::deliver,
                    e -> log.error("chat: the Redis subscription ended: {}", e.toString()));
            // Every member's presence is renewed long before it lapses.
            this.presence = Flux.interval(PRESENCE_TTL.dividedBy(3))
                    .onBackpressureDrop()
                    .concatMap(t -> Flux.fromIterable(local.entrySet())
                            .concatMap(room -> Flux.fromIterable(List.copyOf(room.getValue()))
                                    .concatMap(client -> markPresent(room.getKey(), client)))
                            .onErrorResume(e -> {
                                log.warn("chat: renewing presence failed: {}", e.toString());
                                return Mono.empty();
                            }), 0)
                    .subscribe();
        }

        /**
         * Completes once the subscription delivers: a probe is published until it comes back (the subscription is
         * confirmed asynchronously, and a client's join published before that would be lost).
         */
        Mono<Void> ready() {
            Mono<Void> probing = Flux.interval(Duration.ZERO, Duration.ofMillis(50))
                    .concatMap(t -> store.publish(probe, "probe"), 1)
                    .then();
            return Mono.firstWithSignal(subscribed.asMono(), probing)
                    .timeout(Duration.ofSeconds(30), Mono.error(() -> new IllegalStateException(
                            "the Redis subscription did not start within 30 s")));
        }

        /**
         * Once the announcements of the last leaves are out (at most {@link #LEAVE_WAIT}: a client cut by the
         * server's shutdown leaves too), the subscription and the presence heartbeat stop.
         */
        Mono<Void> stop() {
            return Flux.interval(Duration.ZERO, Duration.ofMillis(20)).takeUntil(t -> announcing.get() == 0)
                    .take(LEAVE_WAIT).then(Mono.fromRunnable(() -> {
                        subscription.dispose();
                        presence.dispose();
                    }));
        }

        /** One WebSocket client, from its join to its leave. */
        Mono<Void> join(WebSocketSession session) {
            String room = session.queryParam("room").orElse("").strip();
            String name = session.queryParam("name").orElse("").strip();
            if (!ROOM.matcher(room).matches()) {
                return session.close(1008, "room must be 1 to 32 letters, digits, '_' or '-'");
            }
            if (!NAME.matcher(name).matches()) {
                return session.close(1008, "name must be 1 to 24 letters, digits, spaces, '_', '.' or '-'");
            }
            Client client = new Client(name, session, sendBuffer);
            Mono<Void> arrive = store.lrange(historyKey(room), 0, -1)
                    .doOnNext(messages -> client.offer(historyEvent(room, messages)))
                    .then(Mono.fromRunnable(() -> local.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(client)))
                    .then(markPresent(room, client))
                    .then(publish(room, event("join", room, name, null)));
            Mono<Void> talk = session.receive()
                    .ofType(WsMessage.Text.class)
                    .concatMap(message -> said(room, client, message.text()), 1)
                    .then();
            Mono<Void> send = session.send(client.outgoing());
            return arrive
                    .then(Mono.firstWithSignal(talk, send, client.dropped()))
                    .onErrorResume(e -> {
                        log.debug("chat: {} in {}: {}", name, room, e.toString());
                        return Mono.empty();
                    })
                    .doFinally(signal -> leave(room, client));
        }

        private Mono<Void> said(String room, Client client, String text) {
            String message = text.strip();
            if (message.isEmpty()) {
                return Mono.empty();
            }
            if (message.codePointCount(0, message.length()) > maxMessage) {
                client.offer(error("message longer than " + maxMessage + " characters: not sent"));
                return Mono.empty();
            }
            return publish(room, event("message", room, client.name, message));
        }

        private void leave(String room, Client client) {
            Set<Client> members = local.get(room);
            if (members != null) {
                members.remove(client);
                local.computeIfPresent(room, (r, set) -> set.isEmpty() ? null : set);
            }
            client.close();
            announcing.incrementAndGet();
            store.zrem(presenceKey(room), client.id)
                    .then(publish(room, event("leave", room, client.name, null)))
                    .doFinally(signal -> announcing.decrementAndGet())
                    .subscribe(null, e -> log.warn("chat: announcing that {} left {} failed: {}", client.name, room,
                            e.toString()));
        }

        private Mono<Void> markPresent(String room, Client client) {
            long until = System.currentTimeMillis() + PRESENCE_TTL.toMillis();
            return store.zadd(presenceKey(room), until, client.id).then();
        }

        /** The members of {@code room} on every server whose presence has not lapsed. */
        Mono<Long> members(String room) {
            return store.zcount(presenceKey(room), System.currentTimeMillis(), Double.POSITIVE_INFINITY);
        }

        /** Rooms with clients on this server, and how many are in each across servers. */
        Mono<Map<String, Long>> counts() {
            return Flux.fromIterable(List.copyOf(local.keySet()))
                    .concatMap(room -> members(room).map(n -> Map.entry(room, n)))
                    .collectMap(Map.Entry::getKey, Map.Entry::getValue, java.util.TreeMap::new)
                    .map(m -> (Map<String, Long>) m);
        }

        private Mono<Void> publish(String room, Map<String, Object> event) {
            String text;
            try {
                text = JSON.writeValueAsString(event);
            } catch (JsonProcessingException e) {
                return Mono.error(e);
            }
            return post.run(ScriptOutput.integer(), List.of(historyKey(room)),
                    List.of(text, String.valueOf(Math.max(history, 1)), channel(room),
                            "message".equals(event.get("type")) && history > 0 ? "1" : "0")).then();
        }

        /** A message from Redis, to this server's clients in its room; a gap, as a notice to everyone. */
        private void deliver(PubSubEvent<String> event) {
            if (event instanceof PubSubEvent.Message<String> message) {
                if (message.channel().equals(probe)) {
                    subscribed.tryEmitEmpty();
                    return;
                }
                String room = message.channel().substring("rk:chat:room:".length());
                Set<Client> members = local.get(room);
                if (members == null) {
                    return;
                }
                String payload = message.payload();
                if (payload.contains("\"type\":\"join\"") || payload.contains("\"type\":\"leave\"")) {
                    // Joins and leaves carry the room's count across servers, read now.
                    members(room).subscribe(n -> fanOut(members, withMembers(payload, n)),
                            e -> fanOut(members, payload));
                } else {
                    fanOut(members, payload);
                }
            } else if (event instanceof PubSubEvent.Gap<String>) {
                String notice = error("the connection to Redis was lost and is back: messages may have been missed");
                local.values().forEach(members -> fanOut(members, notice.replace("\"error\"", "\"notice\"")));
            }
        }

        private void fanOut(Set<Client> members, String payload) {
            for (Client client : members) {
                client.offer(payload);
            }
        }

        private String historyEvent(String room, List<String> messages) {
            StringBuilder json = new StringBuilder("{\"type\":\"history\",\"room\":").append(quote(room))
                    .append(",\"messages\":[");
            for (int i = 0; i < messages.size(); i++) {
                String m = messages.get(i);
                if (m.contains("\"type\":\"message\"")) {
                    json.append(json.charAt(json.length() - 1) == '[' ? "" : ",").append(m);
                }
            }
            return json.append("]}").toString();
        }

        private Map<String, Object> event(String type, String room, String name, String text) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", type);
            event.put("room", room);
            event.put("name", name);
            if (text != null) {
                event.put("text", text);
            }
            event.put("at", Instant.now().toString());
            event.put("server", server);
            return event;
        }
    }

    private static String withMembers(String payload, long members) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(payload);
            node.put("members", members);
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            return payload;
        }
    }

    private static String error(String text) {
        return "{\"type\":\"error\",\"text\":" + quote(text) + "}";
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String channel(String room) {
        return "rk:chat:room:" + room;
    }

    private static String historyKey(String room) {
        return "rk:chat:history:" + room;
    }

    private static String presenceKey(String room) {
        return "rk:chat:members:" + room;
    }

    /**
     * A connected client: a bounded queue of what is waiting to be sent to it. When it is full the client is
     * too slow: it is disconnected with 1013, and the room never waits for it.
     */
    static final class Client {
        final String name;
        // Not UUID.randomUUID(): its SecureRandom may read the OS's entropy, and a client joins on an event loop.
        final String id = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        private final WebSocketSession session;
        private final Sinks.Many<String> outgoing;
        private final Sinks.Empty<Void> dropped = Sinks.empty();

        Client(String name, WebSocketSession session, int buffer) {
            this.name = name;
            this.session = session;
            this.outgoing = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(buffer));
        }

        Flux<WsMessage> outgoing() {
            return outgoing.asFlux().map(WsMessage::text);
        }

        Mono<Void> dropped() {
            return dropped.asMono();
        }

        /** Queues {@code payload}; a client whose queue is full is closed with 1013, never waited for. */
        void offer(String payload) {
            Sinks.EmitResult result;
            synchronized (this) {
                result = outgoing.tryEmitNext(payload);
            }
            if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
                log.info("chat: {} cannot keep up; disconnecting it", name);
                session.close(1013, "too slow: messages for you piled up; reconnect to catch up")
                        .subscribe(null, e -> { });
                dropped.tryEmitEmpty();
            }
        }

        void close() {
            synchronized (this) {
                outgoing.tryEmitComplete();
            }
        }
    }
}
