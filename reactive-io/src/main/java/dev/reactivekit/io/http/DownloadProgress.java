package dev.reactivekit.io.http;

import java.nio.file.Path;

/**
 * How far a {@link HttpFetcher#download} has got.
 *
 * @param target   where the file goes
 * @param received bytes received so far
 * @param total    the size announced by the server (Content-Length), or -1 if unknown
 * @param done     whether this is the last event: the file is complete and in place
 */
public record DownloadProgress(Path target, long received, long total, boolean done) {

    /** Received bytes as a fraction of the total, in [0, 1]; -1 when the total is unknown. */
    public double fraction() {
        return total > 0 ? Math.min(1.0, (double) received / total) : (done ? 1.0 : -1);
    }
}
