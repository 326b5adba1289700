package dev.reactivekit.showcase;

import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Servers;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code httpbin}: the local httpbin.org stand-in every demo and test uses. */
@Command(name = "httpbin", mixinStandardHelpOptions = true,
        description = {"A local stand-in for httpbin.org, so demos and tests run offline.",
                "Endpoints: /get /post /put /delete /anything /headers /ip /user-agent /uuid /json /html",
                "/delay/{n}[?ms=] /status/{c1,c2:weight,...} /flaky/{n}/{key} (503 n times, then 200)",
                "/bytes/{n}?seed= /stream/{n} /drip?numbytes=&duration=",
                "/range/{n} (Range requests) /redirect/{n} /links/{n}/{i} /response-headers?Name=value",
                "/robots.txt /counter (hits per path, and the Range headers received)."})
final class HttpBin extends AppCommand {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on.")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "8080", description = "Port (0 picks a free one).")
    int port;

    @Option(names = "--disallow", defaultValue = "/deny", split = ",",
            description = "Paths robots.txt forbids (repeatable or comma-separated).")
    List<String> disallow;

    @Override
    protected int run() {
        Ports.check(port);
        HttpBinService bin = new HttpBinService(disallow);
        return Servers.serve(console, json, bin.service(host, port).build().start(), s -> s.url(""));
    }
}
