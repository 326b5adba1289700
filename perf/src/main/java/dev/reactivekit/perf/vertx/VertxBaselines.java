package dev.reactivekit.perf.vertx;

import dev.reactivekit.perf.io.PlainServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.NetServer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * Vert.x 5, the toolkit many of our users would pick instead, as a baseline wherever it has the same job, set up
 * as its documentation recommends for speed, and with its defaults where they differ (each series says which):
 * its TCP, HTTP and WebSocket servers (one instance per event loop, recommended, or one, its default), its Web
 * Client, its PostgreSQL client (prepared-statement cache on, and its pipelining client) and its Redis client on
 * one connection ({@code RedisAPI.api(connection)}: commands pipelined). Futures are awaited, or turned into a
 * {@code Mono} so that the same driver loop runs both sides.
 */
public final class VertxBaselines implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Vertx vertx = Vertx.vertx();

    /** The event loops Vert.x runs (its default: twice the cores). */
    public static int recommendedInstances() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** A Vert.x future as a {@code Mono}. */
    public static <T> Mono<T> mono(Future<T> future) {
        return Mono.fromCompletionStage(future.toCompletionStage());
    }

    static <T> T await(Future<T> future) {
        return mono(future).block(TIMEOUT);
    }

    // ------------------------------------------------------------------ servers

    /**
     * The plain server of {@code protocol} on a free port of 127.0.0.1, served by {@code instances} server
     * instances sharing it (Vert.x spreads the connections over them, one event loop each).
     */
    public PlainServers.Running server(PlainServers.Protocol protocol, int instances) {
        List<Runnable> stops = new ArrayList<>();
        // Vert.x shares a port between the server instances that ask for the same one: not for port 0.
        int port = freePort();
        for (int i = 0; i < instances; i++) {
            if (protocol == PlainServers.Protocol.ECHO_TCP) {
                NetServer server = vertx.createNetServer().connectHandler(socket -> socket.handler(socket::write));
                await(server.listen(port, "127.0.0.1"));
                stops.add(() -> await(server.close()));
            } else {
                HttpServer server = vertx.createHttpServer();
                if (protocol == PlainServers.Protocol.HTTP) {
                    server.requestHandler(req -> {
                        if (req.path().equals("/hello")) {
                            req.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(PlainServers.HELLO);
                        } else {
                            req.response().setStatusCode(404).end();
                        }
                    });
                } else {
                    server.webSocketHandler(ws -> {
                        if (!ws.path().equals("/ws")) {
                            ws.close((short) 1008);
                            return;
                        }
                        ws.textMessageHandler(ws::writeTextMessage);
                    });
                }
                await(server.listen(port, "127.0.0.1"));
                stops.add(() -> await(server.close()));
            }
        }
        int bound = port;
        String url = switch (protocol) {
            case ECHO_TCP -> "tcp://127.0.0.1:" + bound;
            case HTTP -> "http://127.0.0.1:" + bound + "/hello";
            case WS -> "ws://127.0.0.1:" + bound + "/ws";
        };
        return new PlainServers.Running() {
            @Override
            public int port() {
                return bound;
            }

            @Override
            public String url() {
                return url;
            }

            @Override
            public void close() {
                stops.forEach(Runnable::run);
            }
        };
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    // ------------------------------------------------------------------ HTTP client

    /** Vert.x's Web Client with a pool of {@code connections} to a host, every request of a run let wait. */
    public WebClient webClient(int connections) {
        return WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    /** One GET: its status. */
    public static Mono<Integer> get(WebClient client, String url) {
        return mono(client.getAbs(url).send()).map(response -> response.statusCode());
    }

    // ------------------------------------------------------------------ PostgreSQL

    /**
     * Vert.x's PostgreSQL pool of {@code size} connections; {@code cached}: its prepared-statement cache on (off
     * by default: then every query is prepared again, two round trips); {@code pipelined}: its pipelining client
     * ({@code PgBuilder.client()}, several queries in flight on a connection) instead of the pool.
     */
    public SqlClient pg(URI url, int size, boolean cached, boolean pipelined) {
        PgConnectOptions options = new PgConnectOptions().setHost(url.getHost())
                .setPort(url.getPort() < 0 ? 5432 : url.getPort())
                .setDatabase(url.getPath().substring(1))
                .setUser(url.getUserInfo() == null ? "postgres" : url.getUserInfo().split(":")[0])
                .setCachePreparedStatements(cached);
        io.vertx.sqlclient.PoolOptions pool = new io.vertx.sqlclient.PoolOptions().setMaxSize(size)
                .setMaxWaitQueueSize(-1);
        return pipelined
                ? PgBuilder.client().with(pool).connectingTo(options).using(vertx).build()
                : PgBuilder.pool().with(pool).connectingTo(options).using(vertx).build();
    }

    /** The first row of a prepared query with {@code args}, given to {@code read}. */
    public static <T> Mono<T> queryOne(SqlClient client, String sql, Tuple args,
            java.util.function.Function<io.vertx.sqlclient.Row, T> read) {
        return mono(client.preparedQuery(sql).execute(args)).map(rows -> read.apply(rows.iterator().next()));
    }

    public static void close(SqlClient client) {
        await(client.close());
    }

    // ------------------------------------------------------------------ Redis

    /** One Redis connection and the {@code RedisAPI} over it (commands pipelined on it). */
    public record RedisOne(RedisConnection connection, RedisAPI api) implements AutoCloseable {
        @Override
        public void close() {
            await(connection.close());
        }
    }

    public RedisOne redisConnection(String url) {
        RedisConnection connection = await(Redis.createClient(vertx, url).connect());
        return new RedisOne(connection, RedisAPI.api(connection));
    }

    /**
     * The client as its defaults make it, {@code RedisAPI.api(redis)}: a connection from its pool (6) per command,
     * but with {@code waiters} commands let wait for one (its default, 24, fails a run of 50 in flight).
     */
    public RedisAPI redisClient(String url, int waiters) {
        return RedisAPI.api(Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
                .setMaxPoolWaiting(waiters)));
    }

    /** A connection subscribed to {@code channel}: each message's payload goes to {@code onMessage}. */
    public RedisOne subscribe(String url, String channel, Consumer<String> onMessage) {
        RedisOne sub = redisConnection(url);
        sub.connection().handler(message -> {
            if (isMessage(message)) {
                onMessage.accept(message.get(2).toString());
            }
        });
        await(sub.api().subscribe(List.of(channel)));
        return sub;
    }

    private static boolean isMessage(Response r) {
        return r != null && r.size() == 3 && "message".equals(r.get(0).toString());
    }

    @Override
    public void close() {
        await(vertx.close());
    }
}
