package dev.reactivekit.data.sql;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A database URL read into its parts; {@link #display()} names it without the password. For SQLite,
 * {@link #database()} is the file's path, or {@code :memory:}.
 */
record SqlUrl(Dialect dialect, String host, int port, String user, String password, String database,
        String schema, String applicationName, String display) {

    /** SQLite's name for a database that lives in memory only. */
    static final String MEMORY = ":memory:";

    static SqlUrl parse(String url) {
        if (url.startsWith("sqlite:")) {
            return sqlite(url);
        }
        Dialect dialect;
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            dialect = Dialect.POSTGRESQL;
        } else if (url.startsWith("mariadb://") || url.startsWith("mysql://")) {
            dialect = Dialect.MARIADB;
        } else {
            throw invalid(url, "expected postgresql:// or mariadb:// followed by [user[:password]@]host[:port]/database,"
                    + " or sqlite:path");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(url, e.getReason());
        }
        if (uri.getHost() == null) {
            throw invalid(url, "expected host[:port] after the scheme");
        }
        String user = System.getProperty("user.name");
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        String database = path.isEmpty() ? user : path;
        String schema = null;
        String applicationName = "reactivekit";
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                String value = kv.length > 1 ? decode(kv[1]) : "";
                switch (kv[0]) {
                    case "schema", "currentSchema" -> schema = value;
                    case "applicationName", "application_name" -> applicationName = value;
                    default -> throw invalid(url, "unknown parameter '" + kv[0]
                            + "' (known: schema, applicationName)");
                }
            }
        }
        if (schema != null && dialect != Dialect.POSTGRESQL) {
            throw invalid(url, "schema is PostgreSQL's; on MariaDB name the database in the path");
        }
        int port = uri.getPort() < 0 ? dialect.defaultPort : uri.getPort();
        return new SqlUrl(dialect, uri.getHost(), port, user, password, database, schema, applicationName,
                dialect.scheme + "://" + uri.getHost() + ":" + port + "/" + database);
    }

    /** {@code sqlite:path}, {@code sqlite:///absolute/path} or {@code sqlite::memory:}. */
    private static SqlUrl sqlite(String url) {
        String path = url.substring("sqlite:".length());
        if (path.startsWith("//")) {
            path = path.substring(2);
        }
        if (path.isBlank()) {
            throw invalid(url, "expected sqlite:path/to/file.db or sqlite::memory:");
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('?') >= 0) {
            throw invalid(url, "a SQLite path takes no parameters");
        }
        return new SqlUrl(Dialect.SQLITE, null, 0, null, null, path, null, null, "sqlite:" + path);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String url, String why) {
        return new IllegalArgumentException("not a database URL: " + url.replaceAll("(?<=://)[^@/]*@", "***@")
                + " (" + why + ")");
    }
}
