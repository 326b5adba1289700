package dev.reactivekit.io.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.io.file.FileException;
import java.io.IOException;
import java.nio.file.Path;

/** Asserts that an error is the {@link FileException} a file operation should fail with. */
public final class FileErrorAssert {

    private FileErrorAssert() {
    }

    /** {@code error} is a {@link FileException} for {@code path} with {@code reason}, caused by the JDK's {@code jdk}. */
    public static void assertFileError(Throwable error, FileException.Reason reason, Path path,
            Class<? extends IOException> jdk) {
        assertThat(error).isInstanceOf(FileException.class).hasMessage(path + ": " + reason.words())
                .hasCauseInstanceOf(jdk);
        FileException file = (FileException) error;
        assertThat(file.reason()).isEqualTo(reason);
        assertThat(file.path()).isEqualTo(path);
    }
}
