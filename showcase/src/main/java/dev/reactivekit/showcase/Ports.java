package dev.reactivekit.showcase;

import dev.reactivekit.showcase.cli.UsageException;

/** Port numbers from the command line. */
final class Ports {

    private Ports() {
    }

    static int check(int port) {
        if (port < 0 || port > 65_535) {
            throw new UsageException("bad port " + port + ": use 0-65535 (0 picks a free one)");
        }
        return port;
    }
}
