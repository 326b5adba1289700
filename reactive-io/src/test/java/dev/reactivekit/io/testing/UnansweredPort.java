package dev.reactivekit.io.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A port on 127.0.0.1 where connecting hangs: a listening socket that never accepts, its backlog filled by our own
 * connections, so the kernel leaves further SYNs unanswered. For connect-timeout tests.
 */
public final class UnansweredPort implements AutoCloseable {

    private final ServerSocket silent = new ServerSocket();
    private final List<Socket> fillers = new ArrayList<>();

    public UnansweredPort() throws IOException {
        silent.bind(new InetSocketAddress("127.0.0.1", 0), 1);
        for (int i = 0; i < 8; i++) {
            Socket s = new Socket();
            try {
                s.connect(silent.getLocalSocketAddress(), 100);
                fillers.add(s);
            } catch (IOException full) {
                s.close();
                break;
            }
        }
    }

    public int port() {
        return silent.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        silent.close();
    }
}
