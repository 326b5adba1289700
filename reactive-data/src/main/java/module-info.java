/**
 * ReactiveKit's data clients: Redis over Lettuce ({@code dev.reactivekit.data.redis}) and PostgreSQL, MariaDB
 * and SQLite ({@code dev.reactivekit.data.sql}). {@code dev.reactivekit.data.internal} is not API and not
 * exported.
 */
module dev.reactivekit.data {
    requires transitive dev.reactivekit.core;
    requires transitive lettuce.core;
    requires transitive r2dbc.spi;
    requires r2dbc.pool;
    requires r2dbc.postgresql;
    // r2dbc-mariadb 1.4.0 names no module: this is the name its jar's file gives it.
    requires r2dbc.mariadb;
    requires org.xerial.sqlitejdbc;
    requires java.sql;
    requires reactor.pool;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires org.slf4j;
    // Lettuce sets TCP keep-alive idle and interval through jdk.net's socket options, found by reflection.
    requires jdk.net;
    // BlockHound is optional. Its allowances here (META-INF/services) reach it on the class path, where tests
    // and most applications run: a `provides` would need BlockHound present whenever the module is resolved.
    requires static reactor.blockhound;

    exports dev.reactivekit.data.redis;
    exports dev.reactivekit.data.sql;
}
