package dev.reactivekit.io.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.OperationTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.reactivekit.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ProcessesTest {

    private final Processes processes = Processes.shared();

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stdinGoesThroughCatToStdoutByteForByte() {
        byte[] data = new byte[3 * 1024 * 1024 + 11];   // far more than a pipe buffer: both directions must flow
        new Random(7).nextBytes(data);
        Flux<ByteBuffer> input = Flux.range(0, (data.length + 65535) / 65536)
                .map(i -> ByteBuffer.wrap(data, i * 65536, Math.min(65536, data.length - i * 65536)).slice());
        byte[] echoed = processes.exec(ProcessSpec.of("cat").stdin(input))
                .ofType(ProcessEvent.Stdout.class)
                .map(ProcessEvent.Stdout::data)
                .reduce(ByteBuffer.allocate(data.length), ByteBuffer::put)
                .map(ByteBuffer::array)
                .block(Duration.ofSeconds(30));
        assertThat(echoed).isEqualTo(data);
    }

    @Test
    void outputCollectsBothStreamsAndTheExitCode() {
        StepVerifier.create(processes.output(ProcessSpec.of("sh", "-c", "echo out; echo err >&2; exit 3")))
                .expectNext(new ProcessResult(3, "out\n", "err\n"))
                .verifyComplete();
        StepVerifier.create(processes.output(ProcessSpec.of("sort").stdin(Flux.just(utf8("b\nc\n"), utf8("a\n")))))
                .expectNext(new ProcessResult(0, "a\nb\nc\n", ""))
                .verifyComplete();
    }

    @Test
    void linesInterleaveBothStreamsAndEndWithTheExit() {
        StepVerifier.create(processes.lines(ProcessSpec.of("sh", "-c", "echo one; echo two >&2; sleep 0.1; echo three")))
                .recordWith(java.util.ArrayList::new)
                .expectNextCount(3)
                .consumeRecordedWith(lines -> assertThat(lines).containsExactlyInAnyOrder(
                        new OutputLine(false, "one"), new OutputLine(true, "two"), new OutputLine(false, "three")))
                .verifyComplete();
    }

    @Test
    void aNonZeroExitFailsLinesAfterTheLastLineWithTheStderrTail() {
        StepVerifier.create(processes.lines(ProcessSpec.of("sh", "-c", "echo partial; echo 'disk full' >&2; exit 4")))
                .expectNextCount(2)
                .verifyErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(ProcessFailedException.class)
                            .hasMessage("[sh, -c, echo partial; echo 'disk full' >&2; exit 4] exited with code 4: disk full");
                    assertThat(((ProcessFailedException) e).exitCode()).isEqualTo(4);
                });
    }

    @Test
    void exitCodesAreReported() {
        StepVerifier.create(processes.exitCode(ProcessSpec.of("true"))).expectNext(0).verifyComplete();
        StepVerifier.create(processes.exitCode(ProcessSpec.of("sh", "-c", "exit 42"))).expectNext(42).verifyComplete();
    }

    @Test
    void aCommandThatCannotStartFailsNamingIt() {
        StepVerifier.create(processes.exitCode(ProcessSpec.of("no-such-command-xyz", "--flag")))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(ProcessStartException.class)
                        .hasMessageStartingWith("cannot start [no-such-command-xyz, --flag]: ")
                        .hasMessageContaining("No such file or directory"));
        Path nowhere = Path.of("/no/such/dir");
        StepVerifier.create(processes.exitCode(ProcessSpec.of("pwd").directory(nowhere)))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(ProcessStartException.class)
                        .hasMessageStartingWith("cannot start [pwd] in /no/such/dir: "));
    }

    @Test
    void directoryEnvironmentAndMergedStderr(@TempDir Path dir) throws Exception {
        Path real = dir.toRealPath();
        ProcessSpec spec = ProcessSpec.of("sh", "-c", "pwd; echo $GREETING; echo warn >&2")
                .directory(dir).environment("GREETING", "hello").mergeStderr();
        StepVerifier.create(processes.output(spec))
                .assertNext(r -> {
                    assertThat(r.stdout()).isEqualTo(real + "\nhello\nwarn\n");
                    assertThat(r.stderr()).isEmpty();
                })
                .verifyComplete();
    }

    @Test
    void aProcessThatStopsReadingStdinEndsTheInputQuietly() {
        AtomicBoolean inputCancelled = new AtomicBoolean();
        Flux<ByteBuffer> endless = Flux.<ByteBuffer>generate(sink -> sink.next(ByteBuffer.wrap(new byte[4096])))
                .doOnCancel(() -> inputCancelled.set(true));
        StepVerifier.create(processes.output(ProcessSpec.of("head", "-c", "10").stdin(endless)))
                .assertNext(r -> {
                    assertThat(r.exitCode()).isZero();
                    assertThat(r.stdout()).hasSize(10);
                })
                .verifyComplete();
        assertThat(inputCancelled).isTrue();
    }

    @Test
    void outputBeyondTheLimitFailsAndKillsTheProcess() {
        Processes small = Processes.builder().maxOutputBytes(100_000).build();
        StepVerifier.create(small.output(ProcessSpec.of("yes")))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                        .hasMessage("standard output of [yes] exceeded 100000 bytes (maxOutputBytes)"));
    }

    @Test
    void aTimeoutKillsTheProcessAndItsChildren() {
        // The shell prints its own pid and its background child's, then waits forever.
        ProcessSpec spec = ProcessSpec.of("sh", "-c", "sleep 60 & echo $$ $!; wait").timeout(Duration.ofMillis(500));
        java.util.List<Long> pids = new java.util.concurrent.CopyOnWriteArrayList<>();
        StepVerifier.create(processes.lines(spec).doOnNext(l -> {
                    for (String pid : l.text().split(" ")) {
                        pids.add(Long.parseLong(pid));
                    }
                }))
                .expectNextCount(1)
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                        .hasMessage("process [sh, -c, sleep 60 & echo $$ $!; wait] timed out after 500ms"));
        assertThat(pids).hasSize(2);
        awaitGone(pids);
    }

    @Test
    void cancellingKillsAProcessThatWouldRunForever() {
        java.util.List<Long> pids = new java.util.concurrent.CopyOnWriteArrayList<>();
        StepVerifier.create(processes.lines(ProcessSpec.of("sh", "-c", "echo $$; exec yes")).take(3)
                        .doOnNext(l -> {
                            if (pids.isEmpty()) {
                                pids.add(Long.parseLong(l.text()));
                            }
                        }))
                .expectNextCount(3)
                .verifyComplete();
        awaitGone(pids);
        // The threads that read the killed process's streams end too.
        String prefix = "reactivekit-process-" + pids.get(0) + "-";
        assertThat(Await.until(() -> streamThreads(prefix) == 0)).as("stream threads ended").isTrue();
    }

    private static long streamThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }

    @Test
    void concurrentProcessesAreBoundedPerInstance() {
        Processes two = Processes.builder().maxConcurrency(2).build();
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
        Flux<Integer> all = Flux.range(0, 5).flatMap(i -> two.lines(ProcessSpec.of("sh", "-c", "echo started; sleep 0.2"))
                .doOnNext(l -> peak.accumulateAndGet(running.incrementAndGet(), Math::max))
                .doOnComplete(running::decrementAndGet)
                .then(Mono.just(i)), 5);
        StepVerifier.create(all.count()).expectNext(5L).verifyComplete();
        assertThat(peak.get()).isBetween(1, 2);
    }

    @Test
    void startingFromANonBlockingThreadNeverBlocksIt() {
        StepVerifier.create(Mono.delay(Duration.ofMillis(1)).flatMap(x -> processes.output(ProcessSpec.of("echo", "hi"))))
                .expectNext(new ProcessResult(0, "hi\n", ""))
                .verifyComplete();
    }

    @Test
    void runsWaitingForAPlaceAreBoundedInNumberAndTime() {
        Processes one = Processes.builder().maxConcurrency(1).maxWaiters(1).maxWait(Duration.ofMillis(300)).build();
        try {
            reactor.core.Disposable busy = one.exitCode(ProcessSpec.of("sleep", "5")).subscribe(c -> { }, e -> { });
            reactor.core.Disposable waiting = one.exitCode(ProcessSpec.of("true")).subscribe(c -> { }, e -> { });
            StepVerifier.create(one.exitCode(ProcessSpec.of("true")))
                    .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.sync.TooManyWaitersException.class)
                            .hasMessageStartingWith("processes (maxConcurrency 1, maxWaiters 1): wait queue is full"));
            waiting.dispose();
            StepVerifier.create(one.exitCode(ProcessSpec.of("true")))
                    .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.PoolTimeoutException.class)
                            .hasMessageEndingWith("(maxWait 300ms)"));
            busy.dispose();
        } finally {
            one.close().block(Duration.ofSeconds(15));
        }
    }

    @Test
    void theCallersDeadlineKillsTheProcess() {
        java.util.List<Long> pids = new java.util.concurrent.CopyOnWriteArrayList<>();
        StepVerifier.create(dev.reactivekit.core.Deadline.within(processes.lines(ProcessSpec.of("sh", "-c", "echo $$; sleep 30"))
                                .doOnNext(l -> pids.add(Long.parseLong(l.text().trim()))), Duration.ofMillis(500), "job"))
                .expectNextCount(1)
                .verifyErrorMessage("job exceeded its deadline of 500ms");
        awaitGone(pids);
        StepVerifier.create(processes.exitCode(ProcessSpec.of("true")).contextWrite(dev.reactivekit.core.testing.Deadlines.passed("job")))
                .verifyErrorMessage("job exceeded its deadline of 1ms");
    }

    @Test
    void aClosedInstanceRefusesNewRunsAndTheSharedOneCannotBeClosed() {
        Processes own = Processes.builder().build();
        StepVerifier.create(own.exitCode(ProcessSpec.of("true"))).expectNext(0).verifyComplete();
        StepVerifier.create(own.close()).verifyComplete();
        StepVerifier.create(own.exitCode(ProcessSpec.of("true")))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ClientClosedException.class)
                        .hasMessage("Processes is closed: cannot run process [true]"));
        StepVerifier.create(Processes.shared().close()).verifyComplete();
        StepVerifier.create(Processes.shared().exitCode(ProcessSpec.of("true"))).expectNext(0).verifyComplete();
    }

    @Test
    void closeLetsRunningProcessesFinishWithinTheGraceThenKillsTheRest() {
        Processes own = Processes.builder().build();
        // One run ends within the grace, the other (a shell and its child) would run for a minute.
        Mono<Integer> quick = own.exitCode(ProcessSpec.of("sh", "-c", "sleep 0.2; exit 7")).cache();
        java.util.List<Long> pids = new java.util.concurrent.CopyOnWriteArrayList<>();
        Flux<OutputLine> stuck = own.lines(ProcessSpec.of("sh", "-c", "sleep 60 & echo $$ $!; wait"))
                .doOnNext(l -> {
                    for (String pid : l.text().split(" ")) {
                        pids.add(Long.parseLong(pid));
                    }
                });
        StepVerifier.create(stuck)
                .expectNextCount(1)
                .then(quick::subscribe)
                .then(() -> StepVerifier.create(own.close(Duration.ofSeconds(1))).verifyComplete())
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ClientClosedException.class)
                        .hasMessage("Processes is closed: cannot run process [sh, -c, sleep 60 & echo $$ $!; wait]"));
        StepVerifier.create(quick).as("the run that ended within the grace kept its result").expectNext(7)
                .verifyComplete();
        assertThat(pids).hasSize(2);
        assertThat(ProcessHandle.of(pids.get(0)).map(ProcessHandle::isAlive).orElse(false))
                .as("close completed only once the killed shell had been reaped").isFalse();
        awaitGone(pids);
        StepVerifier.create(own.exitCode(ProcessSpec.of("true"))).verifyError(dev.reactivekit.core.ClientClosedException.class);
    }

    @Test
    void toBuilderKeepsTheSettings() {
        Processes own = Processes.builder().maxConcurrency(3).maxWaiters(5).maxOutputBytes(100).build();
        Processes copy = own.toBuilder().maxLineLength(10).build();
        StepVerifier.create(copy.output(ProcessSpec.of("sh", "-c", "head -c 200 /dev/zero")))
                .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("maxOutputBytes"));
        StepVerifier.create(copy.lines(ProcessSpec.of("sh", "-c", "echo 0123456789abcdef")))
                .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("maxLineLength"));
        own.close().block(Duration.ofSeconds(15));
        copy.close().block(Duration.ofSeconds(15));
    }

    /** Waits (at most 10 s) until none of {@code pids} is alive any more. */
    private static void awaitGone(java.util.List<Long> pids) {
        Await.until(() -> pids.stream().noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
        assertThat(pids).allSatisfy(p -> assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
                .as("pid %d is gone", p).isFalse());
    }
}
