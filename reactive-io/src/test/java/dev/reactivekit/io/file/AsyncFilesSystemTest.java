package dev.reactivekit.io.file;

import static dev.reactivekit.io.testing.FileErrorAssert.assertFileError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class AsyncFilesSystemTest {

    @TempDir
    Path dir;

    private final AsyncFiles files = AsyncFiles.shared();

    @Test
    void createDirectoriesIsFineWhenTheyExist() {
        Path nested = dir.resolve("output").resolve("subdir");
        StepVerifier.create(files.os().createDirectories(nested)).expectNext(nested).verifyComplete();
        StepVerifier.create(files.os().createDirectories(nested)).expectNext(nested).verifyComplete();
        assertThat(nested).isDirectory();
    }

    @Test
    void existsAndStat() throws Exception {
        Path file = Files.writeString(dir.resolve("data.txt"), "12345");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        StepVerifier.create(files.os().exists(file)).expectNext(true).verifyComplete();
        StepVerifier.create(files.os().exists(dir.resolve("nope"))).expectNext(false).verifyComplete();
        StepVerifier.create(files.os().stat(file))
                .assertNext(stat -> {
                    assertThat(stat.size()).isEqualTo(5);
                    assertThat(stat.isFile()).isTrue();
                    assertThat(stat.permissions()).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
                    assertThat(stat.lastModified()).isNotNull();
                })
                .verifyComplete();
        StepVerifier.create(files.os().stat(dir)).assertNext(s -> assertThat(s.isDirectory()).isTrue()).verifyComplete();
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        StepVerifier.create(files.os().stat(link, LinkOption.NOFOLLOW_LINKS))
                .assertNext(s -> assertThat(s.type()).isEqualTo(FileStat.Type.SYMBOLIC_LINK))
                .verifyComplete();
        StepVerifier.create(files.os().stat(dir.resolve("gone")))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(FileException.class).hasMessageContaining("gone")
                        .hasCauseInstanceOf(NoSuchFileException.class));
    }

    @Test
    void listAndWalk() throws Exception {
        Files.createDirectories(dir.resolve("a/b/c"));
        Files.writeString(dir.resolve("a/one.txt"), "1");
        Files.writeString(dir.resolve("a/b/two.txt"), "2");
        StepVerifier.create(files.os().list(dir.resolve("a")).map(p -> p.getFileName().toString()).sort())
                .expectNext("b", "one.txt")
                .verifyComplete();
        StepVerifier.create(files.os().walk(dir.resolve("a"), 1).count()).expectNext(3L).verifyComplete();
        StepVerifier.create(files.os().walk(dir.resolve("a"), 10).count()).expectNext(5L).verifyComplete();
        Path file = dir.resolve("a/one.txt");
        StepVerifier.create(files.os().list(file))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.NOT_A_DIRECTORY, file, NotDirectoryException.class));
    }

    @Test
    void anAtomicMoveRenamesAndAMoveRespectsExistingTargets() throws Exception {
        Path old = Files.writeString(dir.resolve("old.txt"), "content");
        Path renamed = dir.resolve("new.txt");
        StepVerifier.create(files.os().move(old, renamed, StandardCopyOption.ATOMIC_MOVE)).expectNext(renamed).verifyComplete();
        assertThat(old).doesNotExist();
        assertThat(renamed).hasContent("content");

        Path other = Files.writeString(dir.resolve("other.txt"), "other");
        StepVerifier.create(files.os().move(renamed, other))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.ALREADY_EXISTS, other, FileAlreadyExistsException.class));
        StepVerifier.create(files.os().move(renamed, other, StandardCopyOption.REPLACE_EXISTING)).expectNext(other).verifyComplete();
        assertThat(other).hasContent("content");
        StepVerifier.create(files.os().move(dir.resolve("missing"), renamed, StandardCopyOption.ATOMIC_MOVE))
                .verifyErrorSatisfies(e -> assertThat(((FileException) e).reason()).isEqualTo(FileException.Reason.NOT_FOUND));
    }

    @Test
    void deleteVariants() throws Exception {
        Path temp = Files.writeString(dir.resolve("temp.txt"), "x");
        StepVerifier.create(files.os().delete(temp)).verifyComplete();
        StepVerifier.create(files.os().delete(temp))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.NOT_FOUND, temp, NoSuchFileException.class));
        StepVerifier.create(files.os().deleteIfExists(temp)).expectNext(false).verifyComplete();

        Path empty = Files.createDirectory(dir.resolve("empty_dir"));
        StepVerifier.create(files.os().deleteEmptyDirectory(empty)).verifyComplete();
        assertThat(empty).doesNotExist();

        Path full = Files.createDirectory(dir.resolve("full"));
        Files.writeString(full.resolve("f"), "x");
        StepVerifier.create(files.os().deleteEmptyDirectory(full))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.NOT_EMPTY, full, DirectoryNotEmptyException.class));
        Path file = full.resolve("f");
        StepVerifier.create(files.os().deleteEmptyDirectory(file))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.NOT_A_DIRECTORY, file, NotDirectoryException.class));
    }

    @Test
    void deleteRecursivelyRemovesATreeWithoutFollowingLinks() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside.txt"), "must survive");
        Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
        Files.writeString(tree.resolve("f1"), "1");
        Files.writeString(dir.resolve("tree/a/f2"), "2");
        Files.createSymbolicLink(dir.resolve("tree/link"), outside);
        StepVerifier.create(files.os().deleteRecursively(dir.resolve("tree"))).expectNext(6L).verifyComplete();
        assertThat(dir.resolve("tree")).doesNotExist();
        assertThat(outside).hasContent("must survive");
        StepVerifier.create(files.os().deleteRecursively(dir.resolve("tree"))).expectNext(0L).verifyComplete();
    }

    @Test
    void temporaryFilesAndDirectories() {
        StepVerifier.create(files.os().createTempFile(dir, "pre", ".tmp"))
                .assertNext(p -> assertThat(p).exists().hasParent(dir))
                .verifyComplete();
        StepVerifier.create(files.os().createTempDirectory(dir, "work"))
                .assertNext(p -> assertThat(p).isDirectory())
                .verifyComplete();
    }

    @Test
    void permissionDeniedArrivesAsAccessDenied() throws Exception {
        Path forbidden;
        if (!"root".equals(System.getProperty("user.name"))) {
            forbidden = Files.writeString(dir.resolve("secret.txt"), "no");
            Files.setPosixFilePermissions(forbidden, Set.of());
            StepVerifier.create(files.readString(forbidden))
                    .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.ACCESS_DENIED, forbidden, AccessDeniedException.class));
        } else {
            // root reads anything; the kernel still refuses writes to this read-only sysfs attribute.
            forbidden = Path.of("/sys/kernel/notes");
            assumeTrue(Files.exists(forbidden), "no file that refuses root on this machine");
        }
        StepVerifier.create(files.writeString(forbidden, "x"))
                .verifyErrorSatisfies(e -> assertFileError(e, FileException.Reason.ACCESS_DENIED, forbidden, AccessDeniedException.class));
    }
}
