package dev.reactivekit.data.sql;

/** The SQL backends a {@link Database} speaks to, and what differs between them. */
enum Dialect {

    POSTGRESQL("postgresql", 5432, true),
    MARIADB("mariadb", 3306, false);

    final String scheme;
    final int defaultPort;
    /** Whether the driver takes {@code $1, $2} markers as they are; otherwise they become {@code ?}. */
    final boolean dollarMarkers;

    Dialect(String scheme, int defaultPort, boolean dollarMarkers) {
        this.scheme = scheme;
        this.defaultPort = defaultPort;
        this.dollarMarkers = dollarMarkers;
    }
}
