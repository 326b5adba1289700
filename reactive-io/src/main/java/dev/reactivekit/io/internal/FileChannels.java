package dev.reactivekit.io.internal;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Opening and closing file channels off the non-blocking threads, and errors that name the file. Internal.
 */
public final class FileChannels {

    private static final Logger log = LoggerFactory.getLogger(FileChannels.class);
    private static final FileChannels SHARED = new FileChannels(sharedExecutor(), Schedulers.boundedElastic());

    private final ExecutorService io;
    private final Scheduler offload;

    /**
     * @param io      runs the reads and writes of {@link AsynchronousFileChannel}s (their completion threads)
     * @param offload runs blocking metadata calls: open, close, stat, fsync
     */
    public FileChannels(ExecutorService io, Scheduler offload) {
        this.io = io;
        this.offload = offload;
    }

    /**
     * The shared channels: a fixed pool of daemon I/O threads (two per core, at least four), started on first
     * use, and Reactor's bounded-elastic scheduler for metadata calls.
     */
    public static FileChannels shared() {
        return SHARED;
    }

    /** The executor that runs channel reads and writes. */
    public ExecutorService executor() {
        return io;
    }

    private static ExecutorService sharedExecutor() {
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "reactivekit-file-io-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // Reads and writes are submitted from event-loop threads, so submitting must never wait for a lock: the
        // queue is lock-free (a LinkedBlockingQueue takes a lock to wake a worker, and a contended lock parks the
        // event loop), and all threads are started now and kept, so no submission has to create one (which takes
        // the pool's main lock).
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new LinkedTransferQueue<>(), factory);
        pool.prestartAllCoreThreads();
        return pool;
    }

    /** The scheduler that runs blocking metadata calls. */
    public Scheduler scheduler() {
        return offload;
    }

    /** Runs blocking {@code work} on the offload scheduler; its exceptions become onError. */
    public <T> Mono<T> offload(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(offload);
    }

    /** Opens {@code path} as an asynchronous channel; a directory is refused with the path named. */
    public Mono<AsynchronousFileChannel> open(Path path, Set<? extends OpenOption> options) {
        return offload(() -> {
            if (Files.isDirectory(path)) {
                throw new FileSystemException(path.toString(), null, "Is a directory");
            }
            return AsynchronousFileChannel.open(path, options, io);
        });
    }

    /** Closes {@code channel} off the calling thread; a failure to close is logged, not raised. */
    public Mono<Void> close(Channel channel) {
        return offload(() -> {
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("closing a file channel failed", e);
            }
            return null;
        }).then();
    }

    /** Errors that carry the path: JDK file-system errors already do; others are wrapped to say which file. */
    public static Throwable withPath(Throwable error, Path path) {
        if (error instanceof FileSystemException || !(error instanceof IOException)) {
            return error;
        }
        FileSystemException named = new FileSystemException(path.toString(), null, String.valueOf(error.getMessage()));
        named.initCause(error);
        return named;
    }
}
