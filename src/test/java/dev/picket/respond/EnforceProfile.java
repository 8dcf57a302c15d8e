package dev.picket.respond;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Picket in enforce mode watching a shell that runs whatever the test writes into a FIFO, so a test can
 * start processes inside the watched tree. The profile allows the shell and sleep, and kills anything else.
 */
public class EnforceProfile implements QuarkusTestProfile {

    static final Path DIR = Path.of("target/picket-enforce-test");
    static final Path FIFO = DIR.resolve("commands");
    static final Path STATE = DIR.resolve("state");
    static final String INTERVAL = "250ms";

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Files.createDirectories(DIR);
            Files.deleteIfExists(FIFO);
            new ProcessBuilder("mkfifo", FIFO.toString()).start().waitFor();
            Path profile = DIR.resolve("profile.yaml");
            Files.writeString(profile, String.join("\n",
                    "apiVersion: picket.dev/v1alpha1",
                    "kind: WorkloadProfile",
                    "metadata:",
                    "  name: enforce-test",
                    "spec:",
                    "  mode: enforce",
                    "  processes:",
                    "    allowRoot: true",
                    "    allow:",
                    "      - exe: " + Path.of("/bin/sh").toRealPath(),
                    "      - exe: " + Path.of("/bin/sleep").toRealPath(),
                    "  actions:",
                    "    process: kill",
                    ""));
            return Map.of(
                    "picket.watch.command", "exec 3<>" + FIFO.toAbsolutePath() + "; while read -r line <&3; do sh -c \"$line\" & done",
                    "picket.profile.path", profile.toAbsolutePath().toString(),
                    "picket.state.dir", STATE.toAbsolutePath().toString(),
                    "picket.scan.interval", INTERVAL);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
