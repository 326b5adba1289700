package dev.reactivekit.io.internal;

import dev.reactivekit.core.ReactiveKitException;
import dev.reactivekit.io.file.FileException;
import dev.reactivekit.io.file.FileException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** The JDK's file errors as {@link FileException}s naming the file and the reason. One place. Internal. */
public final class FileErrors {

    private FileErrors() {
    }

    /**
     * {@code error} as a {@link FileException} when it is an I/O error; ReactiveKit's own errors and errors of
     * other kinds pass through. {@code path} names the file when the JDK's error does not.
     */
    public static Throwable map(Throwable error, Path path) {
        Throwable e = error instanceof UncheckedIOException unchecked ? unchecked.getCause() : error;
        if (e instanceof ReactiveKitException || !(e instanceof IOException io)) {
            return error;
        }
        if (io instanceof FileSystemException fs) {
            Reason reason = reasonOf(fs);
            String file = fs.getFile() != null ? fs.getFile() : String.valueOf(path);
            Path named = fs.getFile() != null ? Path.of(fs.getFile()) : path;
            String detail = reason == Reason.OTHER && fs.getReason() != null ? fs.getReason() : reason.words();
            String other = fs.getOtherFile() == null ? "" : " (and " + fs.getOtherFile() + ")";
            return new FileException(file + other + ": " + detail, named, reason, fs);
        }
        return new FileException(path + ": " + (io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage()),
                path, Reason.OTHER, io);
    }

    private static Reason reasonOf(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return Reason.NOT_FOUND;
        }
        if (e instanceof AccessDeniedException) {
            return Reason.ACCESS_DENIED;
        }
        if (e instanceof FileAlreadyExistsException) {
            return Reason.ALREADY_EXISTS;
        }
        if (e instanceof DirectoryNotEmptyException) {
            return Reason.NOT_EMPTY;
        }
        if (e instanceof NotDirectoryException) {
            return Reason.NOT_A_DIRECTORY;
        }
        if (e instanceof AtomicMoveNotSupportedException) {
            return Reason.ATOMIC_MOVE_NOT_SUPPORTED;
        }
        String reason = String.valueOf(e.getReason());
        if (reason.equals("Is a directory")) {
            return Reason.IS_A_DIRECTORY;
        }
        if (reason.equals("Not a directory")) {
            return Reason.NOT_A_DIRECTORY;
        }
        if (reason.equals("No such file or directory")) {
            return Reason.NOT_FOUND;
        }
        if (reason.equals("Permission denied")) {
            return Reason.ACCESS_DENIED;
        }
        return Reason.OTHER;
    }
}
