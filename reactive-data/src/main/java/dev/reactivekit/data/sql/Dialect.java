package dev.reactivekit.data.sql;

/** The SQL backends a {@link Database} speaks to, and what differs between them. */
enum Dialect {

    POSTGRESQL("postgresql", 5432, true, false, false, 65_535),
    MARIADB("mariadb", 3306, false, true, true, 65_535),
    SQLITE("sqlite", 0, false, false, true, 32_766);

    final String scheme;
    final int defaultPort;
    /**
     * Whether the driver takes {@code $1, $2} markers as they are (and {@code $tag$} starts a dollar-quoted
     * string); otherwise each marker becomes a {@code ?}.
     */
    final boolean dollarMarkers;
    /** Whether a backslash escapes a quote inside a string literal (MariaDB's default SQL mode). */
    final boolean backslashEscapes;
    /** Whether {@code `name`} quotes an identifier. */
    final boolean backtickQuotes;
    /** The most parameters one statement may carry (PostgreSQL counts them in 16 bits; SQLite's default limit). */
    final int maxParameters;

    Dialect(String scheme, int defaultPort, boolean dollarMarkers, boolean backslashEscapes, boolean backtickQuotes,
            int maxParameters) {
        this.scheme = scheme;
        this.defaultPort = defaultPort;
        this.dollarMarkers = dollarMarkers;
        this.backslashEscapes = backslashEscapes;
        this.backtickQuotes = backtickQuotes;
        this.maxParameters = maxParameters;
    }
}
