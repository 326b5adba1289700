package dev.reactivekit.io.internal;

import dev.reactivekit.io.file.FileEvent;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.reactivekit.core.LimitExceededException;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * A directory's changes as a Flux over the JDK {@link WatchService}. Waiting for events blocks, so each watch
 * has its own daemon thread, which ends when the Flux is cancelled (closing the service wakes it). Events the
 * subscriber is not ready for are buffered up to a bound; past it the Flux errors rather than grow. Internal.
 */
public final class DirectoryWatch {

    private static final Logger log = LoggerFactory.getLogger(DirectoryWatch.class);

    private DirectoryWatch() {
    }

    public static Flux<FileEvent> watch(Path dir, int maxBufferedEvents, FileChannels channels) {
        Mono<WatchService> open = channels.offload(() -> {
            WatchService service = dir.getFileSystem().newWatchService();
            try {
                dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            } catch (IOException | RuntimeException e) {
                close(service);
                throw e;
            }
            return service;
        });
        // usingWhen closes the service however the Flux ends, even if it is cancelled before the pump starts;
        // closing also wakes the pump thread blocked in take().
        return Flux.usingWhen(open,
                        service -> Flux.<FileEvent>create(sink -> {
                            Thread thread = new Thread(() -> pump(dir, service, sink), "reactivekit-watch-" + dir.getFileName());
                            thread.setDaemon(true);
                            thread.start();
                        }, FluxSink.OverflowStrategy.BUFFER),
                        service -> channels.offload(() -> close(service)))
                .onBackpressureBuffer(maxBufferedEvents, dropped -> { }, BufferOverflowStrategy.ERROR)
                .onErrorMap(Exceptions::isOverflow, e -> new LimitExceededException("watch of " + dir
                        + ": the subscriber fell more than " + maxBufferedEvents + " events behind (maxBufferedEvents)",
                        "maxBufferedEvents", maxBufferedEvents));
    }

    private static void pump(Path dir, WatchService service, FluxSink<FileEvent> sink) {
        try {
            while (!sink.isCancelled()) {
                WatchKey key = service.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    sink.next(toEvent(dir, event));
                }
                if (!key.reset()) {
                    sink.complete();   // the directory is gone
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // cancelled: nothing more to say
        } catch (RuntimeException e) {
            sink.error(e);
        }
    }

    private static FileEvent toEvent(Path dir, WatchEvent<?> event) {
        WatchEvent.Kind<?> kind = event.kind();
        if (kind == StandardWatchEventKinds.OVERFLOW) {
            return new FileEvent(FileEvent.Kind.OVERFLOW, dir);
        }
        Path path = dir.resolve((Path) event.context());
        if (kind == StandardWatchEventKinds.ENTRY_CREATE) {
            return new FileEvent(FileEvent.Kind.CREATED, path);
        }
        if (kind == StandardWatchEventKinds.ENTRY_DELETE) {
            return new FileEvent(FileEvent.Kind.DELETED, path);
        }
        return new FileEvent(FileEvent.Kind.MODIFIED, path);
    }

    private static Void close(WatchService service) {
        try {
            service.close();
        } catch (IOException e) {
            log.warn("closing a watch service failed", e);
        }
        return null;
    }
}
