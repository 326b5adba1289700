package dev.reactivekit.core.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until every node of a test Redis Cluster says {@code cluster_state:ok} (CLUSTER INFO over a plain
 * socket, on the test thread): the embedded cluster's start waits for one node only, and a command routed to
 * another one that has not yet converged fails with CLUSTERDOWN. For the data and showcase tests.
 */
public final class RedisClusterState {

    private RedisClusterState() {
    }

    public static void awaitOk(Collection<Integer> ports, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int port : ports) {
            while (!ok(port)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster node on port " + port + " is not ok after " + timeout);
                }
                LockSupport.parkNanos(20_000_000);
            }
        }
    }

    private static boolean ok(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write("CLUSTER INFO\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[4096];
            StringBuilder reply = new StringBuilder();
            while (reply.indexOf("cluster_state:") < 0 || reply.indexOf("\r\n", reply.indexOf("cluster_state:")) < 0) {
                int n = socket.getInputStream().read(buffer);
                if (n < 0) {
                    return false;
                }
                reply.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            }
            return reply.indexOf("cluster_state:ok") >= 0;
        } catch (IOException e) {
            return false;
        }
    }
}
