package dev.reactivekit.perf.io;

import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.ExitCodes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The plain servers of the network scenarios on their own, for external load generators ({@code wrk},
 * {@code tcpkali}, another machine): {@code perf serve echo-tcp|http|ws [--impl ours|raw] [--port P]}. Prints
 * {@code listening on URL} when ready and serves until Ctrl-C (or SIGTERM). With {@code --control} it serves until
 * stdin ends instead, and answers each {@code memory} line on stdin with one JSON line of its heap (after a GC)
 * and resident set: how the memory scenario measures a server in its own process.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A plain server for external load generators: echo-tcp (TCP echo), http (GET /hello answers "
                + "hello) or ws (WebSocket echo at /ws); ours or raw Reactor Netty.")
public final class Serve extends AppCommand {

    @Parameters(index = "0", paramLabel = "SERVER", description = "echo-tcp, http or ws.",
            converter = ProtocolConverter.class)
    PlainServers.Protocol protocol;

    @Option(names = "--impl", defaultValue = "ours", description = "ours (ReactiveKit) or raw (Reactor Netty).",
            converter = ImplConverter.class)
    PlainServers.Impl impl;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on.")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "0", description = "Port (0 picks a free one).")
    int port;

    @Option(names = "--control", description = "Serve until stdin ends; answer 'memory' lines with a JSON line of heap and RSS.")
    boolean control;

    @Override
    protected int run() throws Exception {
        if (port < 0 || port > 65535) {
            throw new dev.reactivekit.showcase.cli.UsageException("--port must be 0-65535, not " + port);
        }
        PlainServers.Running server = PlainServers.start(protocol, impl, host, port);
        try {
            console.out().println("listening on " + server.url());
            if (control) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.strip().equals("memory")) {
                        console.json(memory());
                    }
                }
            } else {
                try {
                    console.interrupted().block();
                } catch (RuntimeException e) {
                    if (!console.isInterrupted()) {
                        throw e;
                    }
                }
            }
            return ExitCodes.OK;
        } finally {
            Thread.interrupted(); // Ctrl-C interrupted the wait above: the server still stops gracefully
            console.note("stopping " + server.url());
            server.close();
        }
    }

    /** The heap in use after a full GC, and the process's resident set, in bytes. */
    static Map<String, Object> memory() throws Exception {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heap", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        m.put("rss", rss());
        return m;
    }

    /** VmRSS of /proc/self/status in bytes (-1 where there is no /proc). */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    static final class ProtocolConverter implements picocli.CommandLine.ITypeConverter<PlainServers.Protocol> {
        @Override
        public PlainServers.Protocol convert(String value) {
            return byLabel(PlainServers.Protocol.values(), value, "a server");
        }
    }

    static final class ImplConverter implements picocli.CommandLine.ITypeConverter<PlainServers.Impl> {
        @Override
        public PlainServers.Impl convert(String value) {
            return byLabel(PlainServers.Impl.values(), value, "an implementation");
        }
    }

    /** The constant printed as {@code value}; a usage error listing the others when there is none. */
    static <E extends Enum<E>> E byLabel(E[] constants, String value, String what) {
        for (E constant : constants) {
            if (constant.toString().equals(value)) {
                return constant;
            }
        }
        throw new picocli.CommandLine.TypeConversionException("not " + what + ": " + value + " (one of "
                + java.util.Arrays.stream(constants).map(Object::toString).collect(java.util.stream.Collectors.joining(", "))
                + ")");
    }
}
