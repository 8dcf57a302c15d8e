package dev.picket.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Preconditions of tests that use real processes and namespaces. Outside CI a missing precondition skips
 * the test with its reason; under CI=true it fails, so a CI machine cannot silently test less.
 */
public final class Host {

    private Host() {
    }

    public static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase().contains("linux") && Files.isDirectory(Path.of("/proc/self"));
    }

    public static boolean isRoot() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .filter(l -> l.startsWith("Uid:")).findFirst()
                    .map(l -> l.split("\\s+")[2].equals("0")).orElse(false);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    public static void requireLinux() {
        require(isLinux(), "needs Linux with /proc");
    }

    /** Root is needed for namespaces, other UIDs and signalling processes of other users. */
    public static void requireRoot() {
        requireLinux();
        require(isRoot(), "needs root (namespaces, other UIDs)");
    }

    public static void requireCommand(String command) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                found = true;
                break;
            }
        }
        require(found, "needs the command '" + command + "' on PATH");
    }

    private static void require(boolean ok, String reason) {
        if (ok) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true and this test " + reason + ": CI must not skip it");
        }
        Assumptions.abort("skipped: this test " + reason);
    }
}
