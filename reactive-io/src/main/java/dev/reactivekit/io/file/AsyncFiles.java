package dev.reactivekit.io.file;

import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.io.internal.ChannelReadFlux;
import dev.reactivekit.io.internal.ChannelWriteMono;
import dev.reactivekit.io.internal.DirectoryWatch;
import dev.reactivekit.io.internal.FileChannels;
import dev.reactivekit.io.internal.FileCopier;
import dev.reactivekit.io.internal.FileErrors;
import dev.reactivekit.io.internal.FileTrees;
import dev.reactivekit.io.internal.LineSplitter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Files as {@code Mono} and {@code Flux}: what aiofiles gives Python, the data of files (read, lines, write,
 * append, copy, transfer, watch); operations on paths, aiofiles.os, are on {@link #os()}.
 *
 * <pre>{@code
 * AsyncFiles files = AsyncFiles.shared();
 * Mono<String> content = files.readString(Path.of("data.txt"));                 // f.read()
 * Mono<Long> written = files.writeString(Path.of("output.txt"), "Hello async file!");
 * Flux<String> lines = files.lines(Path.of("large.txt"));                        // async for line in f
 * Mono<Long> logged = files.appendLine(Path.of("log.txt"), "New log entry");     // mode "a"
 * Mono<Boolean> there = files.os().exists(Path.of("data.txt"));                  // aiofiles.os.path.exists
 * }</pre>
 *
 * <h2>Streaming and memory</h2>
 * {@link #read} and {@link #lines} stream with backpressure: a chunk is read only when the subscriber asks for
 * more, so memory stays bounded whatever the file size. {@link #readAllBytes} and {@link #readString} load a
 * whole file and refuse files larger than {@link Builder#maxReadBytes} with a {@link LimitExceededException};
 * {@link #lines} refuses lines longer than {@link Builder#maxLineLength}.
 *
 * <h2>Threads</h2>
 * Data goes through {@link AsynchronousFileChannel}s whose reads and writes run on a bounded I/O executor;
 * emissions happen on its threads. Opening, closing, fsync and every metadata call run on a bounded offload
 * scheduler ({@link Schedulers#boundedElastic()} by default). Nothing here blocks the calling thread, so it is
 * safe from event loops and Reactor's parallel scheduler.
 *
 * <h2>Errors, deadlines and cancellation</h2>
 * Every failure arrives as {@code onError}, never thrown when the pipeline is built (only a {@code null}
 * argument is refused at call time), as a {@link FileException} naming the path, with its
 * {@link FileException#reason() reason} ({@code NOT_FOUND}, {@code ACCESS_DENIED}, {@code ALREADY_EXISTS},
 * {@code NOT_EMPTY}, {@code NOT_A_DIRECTORY}, {@code IS_A_DIRECTORY}, ...) and the JDK's own exception
 * ({@link java.nio.file.NoSuchFileException}, ...) as its cause; or as a {@link LimitExceededException} or
 * {@link dev.reactivekit.io.MalformedTextException}. A {@link Deadline} in the subscriber's context caps every
 * operation: at the deadline it is cancelled and fails with the deadline's error. Cancelling any operation
 * closes its file: no descriptor leaks.
 * <p>
 * Instances are immutable and thread-safe; share one. The executor and scheduler of {@link #shared()} are
 * daemon-threaded and shared; ones passed to the builder belong to the caller.
 */
public final class AsyncFiles {

    /** Default chunk size of {@link #read}: 64 KiB. */
    public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;
    /** Default chunk size used under {@link #lines}: 256 KiB, fewer hand-offs for small lines. */
    public static final int DEFAULT_LINES_CHUNK_SIZE = 256 * 1024;
    /** Default limit of {@link #readAllBytes} and {@link #readString}: 16 MiB. */
    public static final long DEFAULT_MAX_READ_BYTES = 16L * 1024 * 1024;
    /** Default longest line accepted by {@link #lines}: 1 MiB. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;
    /** Default bound on watch events buffered for a slow subscriber: 10,000. */
    public static final int DEFAULT_MAX_BUFFERED_EVENTS = 10_000;

    private static final AsyncFiles DEFAULTS = builder().build();

    private final int chunkSize;
    private final int linesChunkSize;
    private final long maxReadBytes;
    private final int maxLineLength;
    private final int maxBufferedEvents;
    private final FileChannels channels;
    private final FileCopier copier;
    private final AsyncFileSystem os;

    /** The settings this instance was made with, frozen (a copy, never handed out). */
    private final Builder settings;

    private AsyncFiles(Builder b) {
        this.settings = b.copy();
        this.chunkSize = b.chunkSize;
        this.linesChunkSize = b.linesChunkSize;
        this.maxReadBytes = b.maxReadBytes;
        this.maxLineLength = b.maxLineLength;
        this.maxBufferedEvents = b.maxBufferedEvents;
        FileChannels shared = FileChannels.shared();
        this.channels = new FileChannels(b.ioExecutor != null ? b.ioExecutor : shared.executor(),
                b.offloadScheduler != null ? b.offloadScheduler : shared.scheduler());
        this.copier = new FileCopier(channels);
        this.os = new AsyncFileSystem(channels);
    }

    /** The shared instance with default settings. */
    public static AsyncFiles shared() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this instance's settings, to make another with some of them changed. */
    public Builder toBuilder() {
        return settings.copy();
    }

    /**
     * The operations on paths rather than on file data (aiofiles.os): exists, stat, list, walk, move, delete,
     * temporary files and directories; on this instance's threads, with the same errors and deadlines.
     */
    public AsyncFileSystem os() {
        return os;
    }

    // ------------------------------------------------------------------ reading

    /**
     * The file's bytes as chunks of up to {@link Builder#chunkSize} bytes, read as the subscriber requests
     * them. Each buffer is fresh and belongs to the subscriber.
     */
    public Flux<ByteBuffer> read(Path path) {
        Checks.notNull(path, "path");
        return guarded(readChunks(path, chunkSize), path);
    }

    /**
     * The file's lines decoded as UTF-8 (Python's {@code async for line in f}); see
     * {@link #lines(Path, Charset)}.
     */
    public Flux<String> lines(Path path) {
        return lines(path, StandardCharsets.UTF_8);
    }

    /**
     * The file's lines, without their terminators ({@code \n}, {@code \r\n} or {@code \r}), decoded with
     * {@code charset}; a last line without terminator is included. Never holds more than a few chunks and one
     * line in memory. Errors with {@link dev.reactivekit.io.MalformedTextException} on input that is not
     * valid in {@code charset}, and with {@link LimitExceededException} on a line longer than
     * {@link Builder#maxLineLength}.
     */
    public Flux<String> lines(Path path, Charset charset) {
        Checks.notNull(path, "path");
        Checks.notNull(charset, "charset");
        return guarded(LineSplitter.lines(readChunks(path, linesChunkSize), path.toString(), charset, maxLineLength), path);
    }

    /** The whole file, if it is at most {@link Builder#maxReadBytes} long. */
    public Mono<byte[]> readAllBytes(Path path) {
        return readAllBytes(path, maxReadBytes);
    }

    /**
     * The whole file, if it is at most {@code maxBytes} long; otherwise a {@link LimitExceededException} naming
     * the file, its size and the limit, before anything is read.
     */
    public Mono<byte[]> readAllBytes(Path path, long maxBytes) {
        Checks.notNull(path, "path");
        Checks.positive(maxBytes, "maxBytes");
        return guarded(Flux.usingWhen(channels.open(path, Set.of(StandardOpenOption.READ)),
                        channel -> channels.offload(channel::size).flatMapMany(size -> {
                            if (size > maxBytes) {
                                return Flux.error(new LimitExceededException(path + " is " + size
                                        + " bytes, over the limit of " + maxBytes + " bytes (maxBytes)", "maxBytes", maxBytes));
                            }
                            return new ChannelReadFlux(channel, 0, chunkSize, e -> FileChannels.withPath(e, path));
                        }),
                        channels::close)
                .reduceWith(java.io.ByteArrayOutputStream::new, (out, chunk) -> {
                    if (out.size() + (long) chunk.remaining() > maxBytes) {
                        throw new LimitExceededException(path + " grew over the limit of " + maxBytes
                                + " bytes while being read (maxBytes)", "maxBytes", maxBytes);
                    }
                    out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
                    return out;
                })
                .map(java.io.ByteArrayOutputStream::toByteArray), path);
    }

    /** The whole file as UTF-8 text (Python's {@code await f.read()}), within {@link Builder#maxReadBytes}. */
    public Mono<String> readString(Path path) {
        return readString(path, StandardCharsets.UTF_8);
    }

    /** The whole file as text in {@code charset}, within {@link Builder#maxReadBytes}. */
    public Mono<String> readString(Path path, Charset charset) {
        Checks.notNull(charset, "charset");
        return readAllBytes(path).map(bytes -> new String(bytes, charset));
    }

    private Flux<ByteBuffer> readChunks(Path path, int size) {
        return Flux.usingWhen(channels.open(path, Set.of(StandardOpenOption.READ)),
                channel -> new ChannelReadFlux(channel, 0, size, e -> FileChannels.withPath(e, path)),
                channels::close);
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code data} to {@code path}, replacing its content; emits the number of bytes written. */
    public Mono<Long> write(Path path, Publisher<ByteBuffer> data) {
        return write(path, data, WriteOptions.truncate());
    }

    /**
     * Writes every buffer of {@code data} to {@code path} as {@code options} say, requesting the next buffer
     * only when the previous one is written (asyncio's {@code write} plus {@code drain}); emits the number of
     * bytes written. With {@link WriteOptions#withFsync()} the data is forced to storage before completing.
     * Cancelling stops writing and closes the file; what was written stays.
     */
    public Mono<Long> write(Path path, Publisher<ByteBuffer> data, WriteOptions options) {
        Checks.notNull(path, "path");
        Checks.notNull(data, "data");
        Checks.notNull(options, "options");
        return guarded(writeUnguarded(path, upstream(data), options), path);
    }

    private Mono<Long> writeUnguarded(Path path, Flux<ByteBuffer> data, WriteOptions options) {
        if (options.mode() == WriteOptions.Mode.APPEND) {
            return append(path, data, options.fsync());
        }
        Set<OpenOption> open = options.mode() == WriteOptions.Mode.CREATE_NEW
                ? Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)
                : Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        return Mono.usingWhen(channels.open(path, open),
                channel -> new ChannelWriteMono(data, channel, 0, e -> FileChannels.withPath(e, path)),
                channel -> options.fsync() ? channels.offload(() -> force(channel)).then(channels.close(channel))
                        : channels.close(channel),
                (channel, error) -> channels.close(channel),
                channels::close);
    }

    /** Writes {@code text} as UTF-8, replacing the file's content (Python's {@code await f.write(s)}). */
    public Mono<Long> writeString(Path path, String text) {
        return writeString(path, text, StandardCharsets.UTF_8, WriteOptions.truncate());
    }

    /** Writes {@code text} in {@code charset} as {@code options} say. */
    public Mono<Long> writeString(Path path, String text, Charset charset, WriteOptions options) {
        Checks.notNull(text, "text");
        Checks.notNull(charset, "charset");
        return write(path, Mono.fromSupplier(() -> charset.encode(text)), options);
    }

    /**
     * Appends {@code line} and a {@code \n} to {@code path} as UTF-8, creating the file if needed (the seeds'
     * log appender). The line goes out in a single {@code O_APPEND} write, so concurrent appenders, in this
     * process or others, never interleave within a line. Emits the number of bytes written.
     */
    public Mono<Long> appendLine(Path path, String line) {
        Checks.notNull(path, "path");
        Checks.notNull(line, "line");
        return guarded(append(path, Flux.defer(() -> Flux.just(StandardCharsets.UTF_8.encode(line + "\n"))), false),
                path);
    }

    /** Appends with O_APPEND, which AsynchronousFileChannel cannot do: one write call per buffer, offloaded. */
    private Mono<Long> append(Path path, Flux<ByteBuffer> data, boolean fsync) {
        Mono<FileChannel> open = channels.offload(() -> {
            if (Files.isDirectory(path)) {
                throw new java.nio.file.FileSystemException(path.toString(), null, "Is a directory");
            }
            return FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        });
        return Mono.usingWhen(open,
                channel -> data.concatMap(buffer -> channels.offload(() -> writeFully(channel, buffer, path)), 1)
                        .reduce(0L, Long::sum),
                channel -> fsync ? channels.offload(() -> force(channel)).then(channels.close(channel))
                        : channels.close(channel),
                (channel, error) -> channels.close(channel),
                channels::close);
    }

    private static long writeFully(FileChannel channel, ByteBuffer buffer, Path path) throws IOException {
        long n = 0;
        try {
            while (buffer.hasRemaining()) {
                n += channel.write(buffer);
            }
        } catch (IOException e) {
            throw (IOException) FileChannels.withPath(e, path);
        }
        return n;
    }

    private static Void force(java.nio.channels.Channel channel) throws IOException {
        if (channel instanceof AsynchronousFileChannel async) {
            async.force(true);
        } else {
            ((FileChannel) channel).force(true);
        }
        return null;
    }

    // ------------------------------------------------------------------ copying

    /**
     * Copies {@code source} to {@code target} without loading it (the kernel moves the bytes where it can);
     * emits the number of bytes copied. The copy goes to a temporary file next to the target that is moved into
     * place only once complete, so a failed or cancelled copy leaves the target as it was. Without
     * {@link StandardCopyOption#REPLACE_EXISTING} an existing target fails the copy with
     * {@link java.nio.file.FileAlreadyExistsException}.
     */
    public Mono<Long> copy(Path source, Path target, CopyOption... options) {
        Checks.notNull(source, "source");
        Checks.notNull(target, "target");
        return guarded(copier.copy(source, target, options), source);
    }

    /**
     * Streams {@code data} (for example an HTTP response body) into {@code target}, replacing it once complete:
     * the bytes go to a temporary file next to the target, moved into place on success and deleted on error or
     * cancellation, so {@code target} never holds a partial file. Emits the number of bytes written.
     */
    public Mono<Long> transfer(Publisher<ByteBuffer> data, Path target) {
        Checks.notNull(data, "data");
        Checks.notNull(target, "target");
        return guarded(FileCopier.intoPlace(target, channels,
                temp -> writeUnguarded(temp, upstream(data), WriteOptions.createNew())).single(), target);
    }

    /**
     * Changes in {@code dir} (not below it) as they happen, until cancelled: entries created, modified and
     * deleted. Events the subscriber is not ready for are buffered up to {@link Builder#maxBufferedEvents};
     * beyond that the Flux delivers what it buffered, then fails with a {@link LimitExceededException} naming
     * the setting, rather than grow without bound. Completes if {@code dir} itself is deleted.
     */
    public Flux<FileEvent> watch(Path dir) {
        Checks.notNull(dir, "dir");
        return guarded(DirectoryWatch.watch(dir, maxBufferedEvents, channels), dir);
    }

    /**
     * Every operation's file errors as {@link FileException}s naming the file (errors of the data written, marked
     * by {@link #upstream}, pass through as they are); and the caller's deadline caps it.
     */
    static <T> Mono<T> guarded(Mono<T> operation, Path path) {
        return Deadline.honor(operation.onErrorMap(e -> FileErrors.map(e, path))
                .onErrorMap(UpstreamError.class, Throwable::getCause));
    }

    static <T> Flux<T> guarded(Flux<T> operation, Path path) {
        return Deadline.honor(operation.onErrorMap(e -> FileErrors.map(e, path))
                .onErrorMap(UpstreamError.class, Throwable::getCause));
    }

    /** The data to write, its own errors marked so that they are not taken for file errors. */
    private static Flux<ByteBuffer> upstream(Publisher<ByteBuffer> data) {
        return Flux.from(data).onErrorMap(UpstreamError::new);
    }

    /** An error of the data being written, not of the file; unwrapped before the caller sees it. */
    private static final class UpstreamError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UpstreamError(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** Builds an {@link AsyncFiles} with other settings; see the {@code DEFAULT_*} constants. */
    public static final class Builder implements Cloneable {
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private int linesChunkSize = DEFAULT_LINES_CHUNK_SIZE;
        private long maxReadBytes = DEFAULT_MAX_READ_BYTES;
        private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;
        private int maxBufferedEvents = DEFAULT_MAX_BUFFERED_EVENTS;
        private ExecutorService ioExecutor;
        private Scheduler offloadScheduler;

        private Builder() {
        }

        // Every field holds an immutable value or a shared executor, so a field-by-field clone is a full copy.
        private Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        /** Size of the chunks {@link #read} emits, in bytes (> 0; default 64 KiB). */
        public Builder chunkSize(int bytes) {
            this.chunkSize = Checks.positive(bytes, "chunkSize");
            return this;
        }

        /** Size of the chunks read under {@link #lines}, in bytes (> 0; default 256 KiB). */
        public Builder linesChunkSize(int bytes) {
            this.linesChunkSize = Checks.positive(bytes, "linesChunkSize");
            return this;
        }

        /** Largest file {@link #readAllBytes} and {@link #readString} load, in bytes (> 0; default 16 MiB). */
        public Builder maxReadBytes(long bytes) {
            this.maxReadBytes = Checks.positive(bytes, "maxReadBytes");
            return this;
        }

        /** Longest line {@link #lines} accepts, in bytes for UTF-8 and Latin-1 (> 0; default 1 MiB). */
        public Builder maxLineLength(int bytes) {
            this.maxLineLength = Checks.positive(bytes, "maxLineLength");
            return this;
        }

        /** Watch events buffered for a slow subscriber (> 0; default 10,000). */
        public Builder maxBufferedEvents(int events) {
            this.maxBufferedEvents = Checks.positive(events, "maxBufferedEvents");
            return this;
        }

        /**
         * The executor that runs channel reads and writes and their completions; owned by the caller. Default: a
         * shared fixed pool of daemon threads, two per core (and at least four). Reads and writes are submitted
         * from event-loop threads, so {@code execute} must not wait: give it a lock-free queue (for example a
         * {@code ThreadPoolExecutor} over a {@code LinkedTransferQueue} with its threads prestarted).
         */
        public Builder ioExecutor(ExecutorService executor) {
            this.ioExecutor = executor;
            return this;
        }

        /** The scheduler for blocking metadata calls; owned by the caller. Default: {@link Schedulers#boundedElastic()}. */
        public Builder offloadScheduler(Scheduler scheduler) {
            this.offloadScheduler = scheduler;
            return this;
        }

        public AsyncFiles build() {
            return new AsyncFiles(this);
        }
    }
}
