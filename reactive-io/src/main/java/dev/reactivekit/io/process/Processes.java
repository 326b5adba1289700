package dev.reactivekit.io.process;

import dev.reactivekit.core.AsyncCloseable;
import dev.reactivekit.core.ClientClosedException;
import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.Timeouts;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.core.internal.Drain;
import dev.reactivekit.core.sync.AsyncSemaphore;
import dev.reactivekit.io.internal.BlockingStreams;
import dev.reactivekit.io.internal.HandlerHalt;
import dev.reactivekit.io.internal.LineSplitter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs commands as asyncio's {@code create_subprocess_exec} does, with their output as a stream.
 *
 * <pre>{@code
 * Processes processes = Processes.shared();
 * Flux<String> files = processes.lines(ProcessSpec.of("ls", "-1", "/tmp")).map(OutputLine::text);
 * Mono<ProcessResult> sorted = processes.output(ProcessSpec.of("sort").stdin(Flux.just(bytes("b\na\n"))));
 * Mono<Integer> code = processes.exitCode(ProcessSpec.of("test", "-d", "/tmp"));
 * }</pre>
 *
 * <ul>
 *   <li>Each subscription starts the command once; nothing runs before.</li>
 *   <li>Standard output and standard error are read only as fast as the subscriber consumes them (a process
 *       that writes faster waits, as with a pipe), and always both, so a forgotten stream cannot make the process
 *       hang.</li>
 *   <li>Cancelling, a {@link ProcessSpec#timeout}, or an error downstream kills the process and its
 *       descendants and waits for the operating system to reap it.</li>
 *   <li>A command that cannot start fails with {@link ProcessStartException} naming it.</li>
 *   <li>At most {@link Builder#maxConcurrency} processes run at once per instance (default
 *       {@value #DEFAULT_MAX_CONCURRENCY}); more wait their turn, FIFO: at most {@link Builder#maxWaiters} of them
 *       (default {@value #DEFAULT_MAX_WAITERS}; more fail at once with a
 *       {@link dev.reactivekit.core.sync.TooManyWaitersException}), each at most {@link Builder#maxWait} (default
 *       1 min; then a {@link dev.reactivekit.core.PoolTimeoutException}), both naming the setting.</li>
 *   <li>A {@link Deadline} in the subscriber's context caps the wait and the run: at the deadline the process is
 *       killed and the run fails with the deadline's error.</li>
 *   <li>{@link #close(Duration)} refuses new runs with a {@link ClientClosedException}, lets the running
 *       processes finish within the grace period, kills the rest and stops this instance's threads; the shared
 *       {@link #shared()} instance cannot be closed.</li>
 * </ul>
 * Nothing blocks the caller's thread: each stream of a running process is read or written by a thread of its
 * own (so at most three per process, and at most {@code 3 * maxConcurrency} in all), and starting and killing
 * run on a small bounded scheduler of this instance's own.
 */
public final class Processes implements AsyncCloseable {

    /** Default bound on processes running at once. */
    public static final int DEFAULT_MAX_CONCURRENCY = 64;
    /** Default bound on runs waiting for one of the {@code maxConcurrency} places. */
    public static final int DEFAULT_MAX_WAITERS = 10_000;
    /** How long {@link #close()} lets running processes finish before killing them: 10 seconds. */
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(10);
    /** Default longest wait for a place: 1 minute. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(1);
    /** Default bound on each of stdout and stderr collected by {@link #output}: 16 MiB. */
    public static final long DEFAULT_MAX_OUTPUT_BYTES = 16L * 1024 * 1024;
    /** Default longest line {@link #lines} accepts: 1 MiB. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(Processes.class);
    private static final int CHUNK = 8192;
    private static final int STDERR_TAIL_LINES = 20;
    private static final Processes DEFAULTS = new Processes(builder(), true);

    /** How long a kill waits for the killed process to be reaped before it gives up with a warning. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final AsyncSemaphore running;
    private final Scheduler control;
    private final long maxOutputBytes;
    private final int maxLineLength;
    private final boolean shared;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Processes started and not yet reaped. A run's permit is given back as soon as it ends, while the kill of
     * a cancelled run goes on in the background on {@link #control}: close waits for this count too, so the
     * control threads are not stopped under a kill that has not been sent yet.
     */
    private final AtomicInteger alive = new AtomicInteger();
    /** Fired when a close's grace has run out: the runs still going are cut short (their processes killed). */
    private final HandlerHalt halt = new HandlerHalt();

    private Processes(Builder b, boolean shared) {
        this.shared = shared;
        this.running = AsyncSemaphore.builder(b.maxConcurrency).maxWaiters(b.maxWaiters).maxWait(b.maxWait)
                .name("processes (maxConcurrency " + b.maxConcurrency + ", maxWaiters " + b.maxWaiters + ")").build();
        // Short calls only (fork/exec, kill, close): the streams have threads of their own.
        this.control = Schedulers.newBoundedElastic(Math.max(4, Runtime.getRuntime().availableProcessors()), 100_000,
                "reactivekit-process-control", 60, true);
        this.maxOutputBytes = b.maxOutputBytes;
        this.maxLineLength = b.maxLineLength;
    }

    /** The shared instance with default settings. */
    public static Processes shared() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this instance's settings, to make another with some of them changed. */
    public Builder toBuilder() {
        return builder().maxConcurrency(running.permits()).maxWaiters(running.maxWaiters()).maxWait(running.maxWait())
                .maxOutputBytes(maxOutputBytes).maxLineLength(maxLineLength);
    }

    /** The scheduler for this instance's short blocking calls; shared with {@link AsyncPipe}. */
    Scheduler controlScheduler() {
        return control;
    }

    /**
     * Runs {@code spec} and streams what it produces: chunks of standard output and standard error as they are
     * read, then {@link ProcessEvent.Exited} with the exit code, whatever it is.
     */
    public Flux<ProcessEvent> exec(ProcessSpec spec) {
        Checks.notNull(spec, "spec");
        Flux<ProcessEvent> run = Flux.usingWhen(start(spec),
                process -> events(process, spec),
                process -> Mono.empty(),
                (process, error) -> kill(process, spec),
                process -> kill(process, spec));
        Flux<ProcessEvent> guarded = Flux.defer(() -> closed.get()
                ? Flux.error(new ClientClosedException("Processes", "process " + spec))
                : running.withPermit(halt.guard(run, () -> new ClientClosedException("Processes", "process " + spec))));
        return spec.timeout() == null ? Deadline.honor(guarded)
                : Timeouts.timeout(guarded, spec.timeout(), "process " + spec);
    }

    /** {@link #close(Duration)} with {@link #DEFAULT_CLOSE_GRACE}. */
    @Override
    public Mono<Void> close() {
        return close(DEFAULT_CLOSE_GRACE);
    }

    /**
     * Refuses new runs from now on (with a {@link ClientClosedException}), lets the processes running now finish
     * within {@code grace}, then kills those left (their runs fail with {@link ClientClosedException}) and stops
     * this instance's control threads. Idempotent; does nothing on {@link #shared()}, which is shared.
     */
    @Override
    public Mono<Void> close(Duration grace) {
        Checks.notNegative(grace, "grace");
        return Mono.defer(() -> {
            if (shared || !closed.compareAndSet(false, true)) {
                return Mono.empty();
            }
            // Running processes still need the control threads to be killed or reaped: wait until none is left.
            return Drain.until(this::idle, grace)
                    .then(Mono.fromRunnable(halt::fire))
                    // A kill waits at most KILL_WAIT for its process to be reaped; a little more here.
                    .then(Drain.until(this::idle, KILL_WAIT.plusSeconds(5)))
                    // Shutting an executor down takes its lock: not on the timer thread that saw the last run end.
                    .then(Mono.fromRunnable(control::dispose).subscribeOn(Schedulers.boundedElastic()).then());
        });
    }

    private boolean idle() {
        return running.availablePermits() == running.permits() && alive.get() == 0;
    }

    /**
     * Runs {@code spec} and streams its output as lines (UTF-8), standard output and standard error
     * interleaved in the order they were read. Completes when the process exits with 0; otherwise, after the
     * last line, fails with {@link ProcessFailedException} carrying the code and the end of standard error.
     */
    public Flux<OutputLine> lines(ProcessSpec spec) {
        Checks.notNull(spec, "spec");
        return Flux.defer(() -> {
            LineSplitter out = new LineSplitter("stdout of " + spec, StandardCharsets.UTF_8, maxLineLength);
            LineSplitter err = new LineSplitter("stderr of " + spec, StandardCharsets.UTF_8, maxLineLength);
            ArrayDeque<String> tail = new ArrayDeque<>();
            AtomicReference<ProcessFailedException> failure = new AtomicReference<>();
            return exec(spec).concatMapIterable(event -> {
                if (event instanceof ProcessEvent.Stdout o) {
                    return tag(out.feed(o.data()), false, tail);
                }
                if (event instanceof ProcessEvent.Stderr e) {
                    return tag(err.feed(e.data()), true, tail);
                }
                int code = ((ProcessEvent.Exited) event).code();
                List<OutputLine> last = new ArrayList<>(tag(out.finish(), false, tail));
                last.addAll(tag(err.finish(), true, tail));
                if (code != 0) {
                    failure.set(new ProcessFailedException(spec.toString(), code, String.join("\n", tail)));
                }
                return last;
            }).concatWith(Flux.defer(() -> failure.get() == null ? Flux.empty() : Flux.error(failure.get())));
        });
    }

    /**
     * Runs {@code spec} to the end and collects what it wrote (Python's {@code communicate()}). Does not fail on
     * a non-zero exit code: look at {@link ProcessResult#exitCode()}. Fails with a {@link LimitExceededException}
     * (and kills the process) if either stream exceeds {@link Builder#maxOutputBytes}.
     */
    public Mono<ProcessResult> output(ProcessSpec spec) {
        Checks.notNull(spec, "spec");
        return Mono.defer(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            return exec(spec).<ProcessResult>handle((event, sink) -> {
                if (event instanceof ProcessEvent.Stdout o) {
                    append(out, o.data(), "standard output of " + spec);
                } else if (event instanceof ProcessEvent.Stderr e) {
                    append(err, e.data(), "standard error of " + spec);
                } else {
                    sink.next(new ProcessResult(((ProcessEvent.Exited) event).code(),
                            out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)));
                }
            }).single();
        });
    }

    /** Runs {@code spec} to the end, discarding its output, and emits its exit code. */
    public Mono<Integer> exitCode(ProcessSpec spec) {
        Checks.notNull(spec, "spec");
        return exec(spec).ofType(ProcessEvent.Exited.class).map(ProcessEvent.Exited::code).single();
    }

    // ------------------------------------------------------------------ internals

    private Mono<Process> start(ProcessSpec spec) {
        return Mono.fromCallable(() -> {
            ProcessBuilder builder = new ProcessBuilder(spec.command()).redirectErrorStream(spec.isStderrMerged());
            if (spec.directory() != null) {
                builder.directory(spec.directory().toFile());
            }
            builder.environment().putAll(spec.environment());
            try {
                Process process = builder.start();
                alive.incrementAndGet();
                process.onExit().whenComplete((p, e) -> alive.decrementAndGet());
                return process;
            } catch (IOException e) {
                throw new ProcessStartException("cannot start " + spec
                        + (spec.directory() == null ? "" : " in " + spec.directory()) + ": " + e.getMessage(), e);
            }
        }).subscribeOn(control);
    }

    private Flux<ProcessEvent> events(Process process, ProcessSpec spec) {
        String name = "reactivekit-process-" + process.pid();
        Flux<ProcessEvent> stdout = BlockingStreams.read(Channels.newChannel(process.getInputStream()), CHUNK, name + "-stdout")
                .map(ProcessEvent.Stdout::new);
        Flux<ProcessEvent> stderr = spec.isStderrMerged() ? Flux.empty()
                : BlockingStreams.read(Channels.newChannel(process.getErrorStream()), CHUNK, name + "-stderr")
                        .map(ProcessEvent.Stderr::new);
        Mono<Long> stdin = spec.stdin() == null
                ? Mono.fromCallable(() -> {
                    BlockingStreams.closeQuietly(process.getOutputStream());
                    return 0L;
                }).subscribeOn(control)
                : BlockingStreams.write(spec.stdin(), Channels.newChannel(process.getOutputStream()), name + "-stdin");
        Mono<ProcessEvent> exited = Mono.fromFuture(process::onExit).map(p -> new ProcessEvent.Exited(p.exitValue()));
        return Flux.merge(stdout, stderr, stdin.then(Mono.<ProcessEvent>empty())).concatWith(exited);
    }

    /** Kills the process and everything it started, then waits (boundedly) until it has been reaped. */
    private Mono<Void> kill(Process process, ProcessSpec spec) {
        return Mono.fromRunnable(() -> {
                    if (!process.isAlive()) {
                        return;
                    }
                    List<ProcessHandle> descendants = process.descendants().toList();
                    log.debug("killing {} (pid {}) and {} descendant(s)", spec, process.pid(), descendants.size());
                    process.destroyForcibly();
                    descendants.forEach(ProcessHandle::destroyForcibly);
                })
                .subscribeOn(control)
                .then(Mono.fromFuture(process::onExit))
                .timeout(KILL_WAIT)
                .onErrorResume(e -> {
                    log.warn("{} (pid {}) did not exit after being killed", spec, process.pid(), e);
                    return Mono.empty();
                })
                .then();
    }

    private static List<OutputLine> tag(List<String> lines, boolean stderr, ArrayDeque<String> tail) {
        List<OutputLine> tagged = new ArrayList<>(lines.size());
        for (String line : lines) {
            tagged.add(new OutputLine(stderr, line));
            if (stderr) {
                if (tail.size() == STDERR_TAIL_LINES) {
                    tail.removeFirst();
                }
                tail.addLast(line.length() > 500 ? line.substring(0, 500) + "..." : line);
            }
        }
        return tagged;
    }

    private void append(ByteArrayOutputStream to, ByteBuffer data, String what) {
        if (to.size() + (long) data.remaining() > maxOutputBytes) {
            throw new LimitExceededException(what + " exceeded " + maxOutputBytes + " bytes (maxOutputBytes)",
                    "maxOutputBytes", maxOutputBytes);
        }
        to.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
    }

    /** Builds a {@link Processes}; see the {@code DEFAULT_*} constants. */
    public static final class Builder {
        private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
        private int maxWaiters = DEFAULT_MAX_WAITERS;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private long maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES;
        private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;

        private Builder() {
        }

        /** Processes running at once (> 0; default 64). */
        public Builder maxConcurrency(int processes) {
            this.maxConcurrency = Checks.positive(processes, "maxConcurrency");
            return this;
        }

        /** Runs that may wait for a place while {@code maxConcurrency} run (>= 0; default 10,000). */
        public Builder maxWaiters(int runs) {
            this.maxWaiters = Checks.notNegative(runs, "maxWaiters");
            return this;
        }

        /** Longest a run waits for a place (> 0; default 1 min); {@code null} to wait as long as it takes. */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = maxWait == null ? null : Checks.positive(maxWait, "maxWait");
            return this;
        }

        /** Largest stdout or stderr {@link #output} collects, in bytes (> 0; default 16 MiB). */
        public Builder maxOutputBytes(long bytes) {
            this.maxOutputBytes = Checks.positive(bytes, "maxOutputBytes");
            return this;
        }

        /** Longest line {@link #lines} accepts, in bytes (> 0; default 1 MiB). */
        public Builder maxLineLength(int bytes) {
            this.maxLineLength = Checks.positive(bytes, "maxLineLength");
            return this;
        }

        public Processes build() {
            return new Processes(this, false);
        }
    }
}
