package dev.reactivekit.perf.io;

import dev.reactivekit.perf.Measurements;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * HTTP hello: {@code GET /hello} requests per second and their p50/p99 at 100 keep-alive connections, our
 * {@code HttpService} against a raw Reactor Netty {@code HttpServer} route, driven by the harness's own load client,
 * then by {@code wrk} when it is installed.
 */
@Command(name = "http", mixinStandardHelpOptions = true, sortOptions = false,
        description = "GET /hello requests/s and p50/p99 at 100 connections: HttpService vs raw Reactor Netty HttpServer (and wrk when installed).")
public final class HttpBench extends NetScenario {

    static final String OURS = "HttpService";
    static final String RAW = "raw HttpServer route";

    @Option(names = "--wrk", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also measure with wrk -t2 when it is installed.")
    boolean wrk;

    @Override
    PlainServers.Protocol protocol() {
        return PlainServers.Protocol.HTTP;
    }

    @Override
    String title(int n) {
        return String.format(Locale.ROOT, "GET /hello, %,d connections", n);
    }

    @Override
    String unit() {
        return "requests/s";
    }

    @Override
    Loads.Load load(PlainServers.Running server, int n) {
        return Loads.httpGet(server.url(), n);
    }

    @Override
    String vertxName() {
        return "Vert.x HttpServer";
    }

    @Override
    List<String> names() {
        return List.of(OURS, RAW);
    }

    @Override
    void extra(Map<String, PlainServers.Running> servers) throws Exception {
        if (!wrk) {
            return;
        }
        if (!wrkInstalled()) {
            header("(wrk is not installed: apt-get install wrk for its figures too)");
            return;
        }
        for (int n : connections) {
            Measurements m = new Measurements();
            for (var server : servers.values()) {
                wrk(server.url(), n, warmupSeconds);
            }
            LinkedHashMap<String, Measurements.Run> runs = new LinkedHashMap<>();
            servers.forEach((name, server) -> runs.put(name, () -> wrk(server.url(), n, seconds)));
            m.interleave(rounds, runs);
            report(m.toCase(name(), title(n) + ", wrk -t2", unit(), List.copyOf(servers.keySet())));
        }
    }

    private static boolean wrkInstalled() {
        try {
            return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() >= 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static double wrk(String url, int connections, int seconds) throws Exception {
        Process p = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + Math.max(1, seconds) + "s", url)
                .redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher matcher = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
            if (!matcher.find() || out.contains("Non-2xx")) {
                throw new IllegalStateException("unexpected wrk output:\n" + out);
            }
            return Double.parseDouble(matcher.group(1));
        } finally {
            p.destroy();
        }
    }
}
