package dev.reactivekit.io.http;

/**
 * What {@link HttpFetcher#fetchAll} was asked to run at once and what the fetcher's pool allows, as aiohttp's
 * {@code limit} and {@code limit_per_host} bound a gather over a session.
 *
 * @param requested             requests asked for at once in all
 * @param requestedPerHost      requests asked for at once per host (the spec's per-key limit, else {@code requested})
 * @param allowed               requests that run at once in all: {@code min(requested, maxConnections)}
 * @param allowedPerHost        requests that run at once per host: also bounded by {@code maxConnectionsPerHost}
 * @param maxConnections        the fetcher's {@code maxConnections}
 * @param maxConnectionsPerHost the fetcher's {@code maxConnectionsPerHost}
 */
public record FetchLimits(int requested, int requestedPerHost, int allowed, int allowedPerHost, int maxConnections,
        int maxConnectionsPerHost) {

    /** Whether the pool runs fewer at once, in all or per host, than were asked for. */
    public boolean isBounded() {
        return allowed < requested || allowedPerHost < requestedPerHost;
    }

    /** What was asked and what runs, naming the settings to raise when they bound it. */
    public String describe() {
        String asked = "asked for " + requested + " requests at once"
                + (requestedPerHost < requested ? " (" + requestedPerHost + " per host)" : "");
        if (!isBounded()) {
            return asked + "; the pool allows them";
        }
        return asked + ", but the pool runs at most " + allowed + " at once and " + allowedPerHost + " per host"
                + " (maxConnections " + maxConnections + ", maxConnectionsPerHost " + maxConnectionsPerHost
                + "): raise them with HttpFetcher.builder().maxConnections(n).maxConnectionsPerHost(n), as aiohttp's"
                + " TCPConnector(limit=n, limit_per_host=n)";
    }
}
