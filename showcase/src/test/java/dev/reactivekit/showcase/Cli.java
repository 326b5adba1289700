package dev.reactivekit.showcase;

import dev.reactivekit.showcase.cli.Console;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the command line in this JVM, through {@link Main#run}, as a person would from a shell (without a
 * terminal): its exit code, stdout and stderr. {@link #start} runs it in the background, for servers and for
 * Ctrl-C ({@link Running#interrupt()}).
 */
final class Cli {

    private Cli() {
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        Running running = start(args);
        return running.await(Duration.ofMinutes(2));
    }

    /** {@link #run} with {@code input} on stdin. */
    static Result runWithInput(String input, String... args) {
        return start(new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), args)
                .await(Duration.ofMinutes(2));
    }

    static Running start(String... args) {
        return start(java.io.InputStream.nullInputStream(), args);
    }

    static Running start(java.io.InputStream in, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(console, args),
                runnable -> {
                    Thread t = new Thread(runnable, "cli " + String.join(" ", args));
                    t.setDaemon(true);
                    t.start();
                });
        return new Running(console, out, err, exit);
    }

    static final class Running {
        private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");

        final Console console;
        private final ByteArrayOutputStream out;
        private final ByteArrayOutputStream err;
        private final CompletableFuture<Integer> exit;

        Running(Console console, ByteArrayOutputStream out, ByteArrayOutputStream err, CompletableFuture<Integer> exit) {
            this.console = console;
            this.out = out;
            this.err = err;
            this.exit = exit;
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        /** The URL a server printed in its "listening on" line; fails if it exited or took over 30 s. */
        String listeningUrl() {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = LISTENING.matcher(out());
                if (m.find()) {
                    return m.group(1);
                }
                if (exit.isDone()) {
                    throw new AssertionError("exited " + exit.join() + " before listening: " + err());
                }
                LockSupport.parkNanos(5_000_000);
            }
            throw new AssertionError("not listening after 30 s: " + out() + err());
        }

        /** Waits until stdout contains {@code text}. */
        boolean printed(String text, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (out().contains(text)) {
                    return true;
                }
                LockSupport.parkNanos(5_000_000);
            }
            return false;
        }

        /** Waits until stderr contains {@code text}. */
        boolean printedErr(String text, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (err().contains(text)) {
                    return true;
                }
                LockSupport.parkNanos(5_000_000);
            }
            return false;
        }

        /** What Ctrl-C does. */
        Running interrupt() {
            console.interrupt();
            return this;
        }

        Result await(Duration timeout) {
            try {
                int code = exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return new Result(code, out(), err());
            } catch (Exception e) {
                throw new AssertionError("the command did not end: " + out() + err(), e);
            }
        }

        Result stop() {
            return interrupt().await(Duration.ofSeconds(30));
        }
    }
}
