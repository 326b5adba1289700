package dev.reactivekit.showcase;

import dev.reactivekit.core.Outcome;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.Tasks;
import dev.reactivekit.core.Concurrency;
import dev.reactivekit.io.http.DownloadOptions;
import dev.reactivekit.io.http.DownloadProgress;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.HttpRequest;
import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Durations;
import dev.reactivekit.showcase.cli.Errors;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Progress;
import dev.reactivekit.showcase.cli.Table;
import dev.reactivekit.showcase.cli.UsageException;
import dev.reactivekit.showcase.cli.Urls;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code download}: the seeds' file downloader done right: streamed to a temporary name and moved into place
 * only when whole, named from {@code Content-Disposition} or the URL and never outside the directory, resumable
 * with {@code Range} requests.
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download URLs into a directory, each streamed to a temporary file moved into place only when complete; names come from Content-Disposition or the URL, and are refused unless they are plain file names. With --resume an interrupted download continues where it stopped.")
final class Download extends AppCommand {

    @Parameters(arity = "1..*", paramLabel = "URL", description = "The URLs to download.")
    List<String> urls;

    @Option(names = {"-d", "--dir"}, required = true, paramLabel = "DIR", description = "The directory to write into (made if missing).")
    Path dir;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "4", description = "Downloads at once.")
    int concurrency;

    @Option(names = "--resume", description = "Keep what an interrupted download received and continue from it next time (Range requests).")
    boolean resume;

    @Option(names = "--timeout", defaultValue = "30s", description = "Longest wait for a response to start, and between two reads.")
    Duration timeout;

    @Option(names = "--retries", defaultValue = "2", description = "Retries of a download that fails before its first byte (5xx, connection errors).")
    int retries;

    /** One download's line of the table. */
    private record Row(String url, String file, long bytes, Duration time, String error) {
    }

    @Override
    protected int run() {
        if (concurrency < 1 || retries < 0) {
            throw new UsageException("--concurrency must be at least 1 and --retries at least 0");
        }
        List<String> checked = urls.stream().map(Urls::http).toList();
        Path directory = writableDirectory();
        HttpFetcher fetcher = HttpFetcher.builder()
                .maxConnections(concurrency)
                .maxConnectionsPerHost(concurrency)
                .responseTimeout(timeout)
                .readTimeout(timeout)
                // A download's whole time is not bounded: a big file takes as long as it takes.
                .totalTimeout(Duration.ofDays(1))
                .retry(retries == 0 ? RetryPolicy.none() : HttpFetcher.DEFAULT_RETRY.maxAttempts(retries + 1))
                .build();
        DownloadOptions options = DownloadOptions.builder().resume(resume).build();
        Map<String, Long> totals = new ConcurrentHashMap<>();
        List<Row> rows = new ArrayList<>();
        long start = System.nanoTime();
        try (Progress all = Progress.bytes(showProgress(), "total", 0)) {
            Flux<Row> downloads = Tasks.settled(Flux.range(0, checked.size()),
                            i -> one(fetcher, checked.get(i), directory, options, totals, all),
                            Concurrency.limit(concurrency))
                    .map(Outcome::orElseThrow);
            downloads.takeUntilOther(console.interrupted())
                    .doOnNext(row -> {
                        rows.add(row);
                        if (json) {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("url", row.url());
                            m.put("file", row.file());
                            m.put("bytes", row.bytes());
                            m.put("time_ms", row.time().toMillis());
                            m.put("error", row.error());
                            console.json(m);
                        }
                    })
                    .blockLast();
        } finally {
            fetcher.close().block(Duration.ofSeconds(10));
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        long ok = rows.stream().filter(r -> r.error() == null).count();
        long failed = rows.size() - ok;
        int notDone = checked.size() - rows.size();
        long bytes = rows.stream().mapToLong(Row::bytes).sum();
        if (!json) {
            Table table = new Table(60, "file", "bytes", "time", "result");
            for (Row row : rows) {
                table.row(row.file() == null ? row.url() : row.file(), row.error() == null ? Table.bytes(row.bytes()) : "",
                        Durations.format(row.time()), row.error() == null ? "ok" : row.error());
            }
            table.print(console.out());
            console.out().printf(Locale.ROOT, "%n%d downloaded, %d failed%s: %s in %s into %s%n", ok, failed,
                    notDone > 0 ? ", " + notDone + " not done (interrupted" + (resume ? "; run again with --resume to continue)" : ")") : "",
                    Table.bytes(bytes), Durations.format(wall), directory);
        }
        return console.isInterrupted() ? ExitCodes.INTERRUPTED : failed > 0 ? ExitCodes.FAILURES : ExitCodes.OK;
    }

    private Path writableDirectory() {
        Path directory = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new CannotWrite("cannot write into " + directory + ": " + e.getFile() + " is not a directory");
        } catch (FileSystemException e) {
            throw new CannotWrite("cannot write into " + directory + ": " + (e.getReason() == null ? e.getClass().getSimpleName()
                    : e.getReason().toLowerCase(Locale.ROOT)));
        } catch (IOException e) {
            throw new CannotWrite("cannot write into " + directory + ": " + Errors.describe(e));
        }
        if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
            throw new CannotWrite("cannot write into " + directory + ": " + (Files.isDirectory(directory)
                    ? "permission denied" : "not a directory"));
        }
        return directory;
    }

    /** A directory that cannot be written: a failure of the run (exit 1), found before any download starts. */
    private static final class CannotWrite extends RuntimeException {
        CannotWrite(String message) {
            super(message);
        }
    }

    private Mono<Row> one(HttpFetcher fetcher, String url, Path directory, DownloadOptions options,
            Map<String, Long> totals, Progress all) {
        return Mono.defer(() -> {
            long t0 = System.nanoTime();
            AtomicLong last = new AtomicLong();
            Progress[] bar = new Progress[1];
            return fetcher.downloadInto(HttpRequest.get(url), directory, options)
                    .doOnNext(p -> {
                        if (bar[0] == null) {
                            bar[0] = Progress.bytes(showProgress(), p.target().getFileName().toString(), p.total());
                            if (p.total() > 0) {
                                totals.put(url, p.total());
                                all.max(totals.values().stream().mapToLong(Long::longValue).sum());
                            }
                        }
                        long delta = p.received() - last.getAndSet(p.received());
                        bar[0].stepTo(p.received());
                        all.step(delta);
                    })
                    .last()
                    .map(p -> new Row(url, directory.relativize(p.target()).toString(), p.received(),
                            Duration.ofNanos(System.nanoTime() - t0), null))
                    .onErrorResume(e -> Mono.just(new Row(url, null, 0, Duration.ofNanos(System.nanoTime() - t0),
                            Errors.withoutRequest(e))))
                    .doFinally(signal -> {
                        if (bar[0] != null) {
                            bar[0].close();
                        }
                    });
        });
    }
}
