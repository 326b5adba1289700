package dev.reactivekit.perf.io;

import dev.reactivekit.io.file.AsyncFiles;
import dev.reactivekit.perf.Measurements;
import dev.reactivekit.perf.Scenario;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.UsageException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Line reading and file copying throughput, ReactiveKit against the JDK and the coreutils a user would
 * otherwise reach for, measured in the same run with rounds interleaved, page cache warm:
 * <ul>
 *   <li>lines: {@code AsyncFiles.lines(path).count()} vs {@code Files.lines(path).count()} vs {@code wc -l};</li>
 *   <li>copy: {@code AsyncFiles.copy} vs {@code Files.copy} vs {@code cp}.</li>
 * </ul>
 * The input is a generated file of about 100-byte UTF-8 lines in a temporary directory, deleted at the end.
 * <pre>./reactivekit perf files --size-mib 1024</pre>
 */
@Command(name = "files", mixinStandardHelpOptions = true, sortOptions = false,
        description = "lines() and copy() MB/s vs Files.lines/wc -l and Files.copy/cp, same run, interleaved.")
public final class FileBench extends Scenario {

    @Option(names = "--size-mib", defaultValue = "1024", description = "Size of the test file in MiB.")
    int sizeMib;

    @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds per case.")
    int rounds;

    @Option(names = "--dir", description = "Directory for the test files (default: the system temp directory).")
    Path dir;


    @Override
    public List<String> quickArguments() {
        return List.of("--size-mib", "128", "--rounds", "2");
    }

    @Override
    protected int measure() throws Exception {
        if (sizeMib < 1 || rounds < 1) {
            throw new UsageException("--size-mib and --rounds must be at least 1");
        }
        Path work = dir == null ? Files.createTempDirectory("file-bench") : Files.createTempDirectory(dir, "file-bench");
        try {
            Path input = work.resolve("lines.txt");
            long lines = generate(input, (long) sizeMib << 20);
            double mib = Files.size(input) / (1024.0 * 1024.0);
            header("input: %s, %.0f MiB, %,d lines; %d rounds after a warm-up round",
                    input, mib, lines, rounds);
            AsyncFiles files = AsyncFiles.shared();
            Measurements m = new Measurements();
            Path target = work.resolve("copy.txt");
            List<Case> lineCases = List.of(
                    new Case("AsyncFiles.lines", () -> check(lines, files.lines(input).count().block())),
                    new Case("Files.lines", () -> {
                        try (Stream<String> s = Files.lines(input)) {
                            check(lines, s.count());
                        }
                    }),
                    new Case("wc -l", () -> check(lines, Long.parseLong(run("wc", "-l", input.toString()).split(" ")[0]))));
            List<Case> copyCases = List.of(
                    new Case("AsyncFiles.copy", () -> files.copy(input, target).block()),
                    new Case("Files.copy", () -> Files.copy(input, target)),
                    new Case("cp", () -> run("cp", input.toString(), target.toString())));
            for (int round = 0; round <= rounds; round++) {
                boolean warmUp = round == 0;
                // Each round starts with a different case, so no case always runs first or last.
                for (int i = 0; i < lineCases.size(); i++) {
                    Case c = lineCases.get((i + round) % lineCases.size());
                    record(m, warmUp, c.name(), mib, c.work());
                }
                for (int i = 0; i < copyCases.size(); i++) {
                    Case c = copyCases.get((i + round) % copyCases.size());
                    // Untimed: write back the previous copy's dirty pages, so that no copy pays for another's.
                    run("sync");
                    record(m, warmUp, c.name(), mib, c.work());
                    Files.delete(target);
                }
                console.note(warmUp ? "warm-up done" : "round " + round + " of " + rounds + " done");
            }
            String size = String.format(Locale.ROOT, "%.0f MiB of ~100-byte UTF-8 lines, page cache warm", mib);
            report(m.toCase(name(), "count the lines, " + size, "MB/s", true, "AsyncFiles.lines",
                    List.of("AsyncFiles.lines", "Files.lines", "wc -l"), Map.of(), List.of()));
            report(m.toCase(name(), "copy, " + size, "MB/s", true, "AsyncFiles.copy",
                    List.of("AsyncFiles.copy", "Files.copy", "cp"), Map.of(), List.of()));
            return ExitCodes.OK;
        } finally {
            try (Stream<Path> leftovers = Files.walk(work)) {
                leftovers.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private record Case(String name, Work work) {
    }

    private static void record(Measurements m, boolean warmUp, String name, double mib, Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!warmUp) {
            m.add(name, mib * 1.048576 / seconds);   // MB/s (10^6 bytes)
        }
    }

    private static void check(long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException("counted " + actual + " lines, expected " + expected);
        }
    }

    /** Writes lines of about 100 bytes (some non-ASCII) until {@code bytes}; returns the number of lines. */
    private static long generate(Path file, long bytes) throws IOException {
        String[] words = {"alpha", "βeta", "gamma", "délta", "epsilon", "€uro", "zeta", "eta"};
        long written = 0;
        long n = 0;
        StringBuilder line = new StringBuilder(128);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (written < bytes) {
                line.setLength(0);
                line.append(n).append(' ');
                while (line.length() < 90 + n % 20) {
                    line.append(words[(int) ((n + line.length()) % words.length)]).append(' ');
                }
                line.append('\n');
                out.append(line);
                written += line.toString().getBytes(StandardCharsets.UTF_8).length;
                n++;
            }
        }
        return n;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

}
