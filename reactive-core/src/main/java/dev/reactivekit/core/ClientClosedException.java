package dev.reactivekit.core;

/**
 * A client that was closed (an HTTP fetcher, a database pool, a Redis store, a process runner) was asked to do
 * more work. Every client refuses work after {@code close()} with this one error, naming the client and, when
 * known, what was asked, for example {@code "HttpFetcher reactivekit-http-3 is closed: cannot run GET
 * http://127.0.0.1:8080/x"}. Permanent: the client stays closed.
 */
public final class ClientClosedException extends PermanentException {

    private static final long serialVersionUID = 1L;

    private final String client;

    /**
     * @param client    the client, for people, for example {@code "Database postgresql://db/app"}
     * @param operation what was refused, or {@code null}
     */
    public ClientClosedException(String client, String operation) {
        super(client + " is closed" + (operation == null ? "" : ": cannot run " + operation));
        this.client = client;
    }

    /** The client that is closed, as named in the message. */
    public String client() {
        return client;
    }
}
