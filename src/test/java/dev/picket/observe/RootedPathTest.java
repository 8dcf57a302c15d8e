package dev.picket.observe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Paths inside another root, with absolute symlinks resolved against that root, not Picket's. */
class RootedPathTest {

    @Test
    void absoluteLinksRestartAtTheGivenRoot(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("run/containerd"));
        Files.createFile(root.resolve("run/containerd/containerd.sock"));
        Files.createDirectories(root.resolve("var"));
        Files.createSymbolicLink(root.resolve("var/run"), Path.of("/run"));
        assertThat(RootedPath.exists(root, "/var/run/containerd/containerd.sock")).isTrue();
        assertThat(RootedPath.resolve(root, "/var/run/containerd/containerd.sock"))
                .isEqualTo(root.resolve("run/containerd/containerd.sock"));
    }

    @Test
    void aLinkOutOfTheRootDoesNotReachPicketsOwnFiles(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        // /etc/hostname exists for Picket; inside this root it does not
        Files.createSymbolicLink(root.resolve("etc/escape"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(root.resolve("etc/up"), Path.of("../../../../../../etc/hostname"));
        assertThat(RootedPath.exists(root, "/etc/escape")).isFalse();
        assertThat(RootedPath.exists(root, "/etc/up")).isFalse();
        assertThat(RootedPath.resolve(root, "/etc/up")).isEqualTo(root.resolve("etc/hostname"));
    }

    @Test
    void relativeLinksAndLoops(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.createFile(root.resolve("a/b/f"));
        Files.createSymbolicLink(root.resolve("a/l"), Path.of("b"));
        assertThat(RootedPath.exists(root, "/a/l/f")).isTrue();
        Files.createSymbolicLink(root.resolve("x"), Path.of("y"));
        Files.createSymbolicLink(root.resolve("y"), Path.of("x"));
        assertThat(RootedPath.resolve(root, "/x/f")).isNull();
        assertThat(RootedPath.exists(root, "/nothing/here")).isFalse();
    }
}
