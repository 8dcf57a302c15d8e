package dev.picket.hardening;

import dev.picket.profile.ActiveProfile;
import dev.picket.profile.Mode;
import dev.picket.profile.Profile;
import dev.picket.profile.ProfileError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What the profile tests in {@code dev.picket.profile} do not cover yet: lists of 100 000 entries, and each kind of
 * bad input arriving as a replacement of the running profile's file. Each one is refused within a second with a
 * clear reason naming the field, and the last good profile stays in force.
 */
class ProfileBadInputTest {

    static final String HEADER = "apiVersion: picket.dev/v1alpha1\nkind: WorkloadProfile\nmetadata: {name: web}\nspec:\n";
    static final String GOOD = HEADER + "  mode: enforce\n  processes: {allow: [{exe: /usr/bin/python3}]}\n";

    @TempDir
    Path dir;

    static Stream<org.junit.jupiter.params.provider.Arguments> badInputs() {
        String ports = IntStream.range(0, 100_000).mapToObj(i -> Integer.toString(1 + i % 65535)).collect(Collectors.joining(","));
        String threats = IntStream.range(0, 100_000).mapToObj(i -> "x").collect(Collectors.joining(","));
        String exes = IntStream.range(0, 100_000).mapToObj(i -> "{exe: /" + i + "}").collect(Collectors.joining(","));
        String listen = IntStream.range(0, 100_000).mapToObj(i -> "{port: 8}").collect(Collectors.joining(","));
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        return Stream.of(
                arguments("100 000 ports in one egress rule", HEADER + "  network: {egress: [{cidr: 10.0.0.0/8, ports: ["
                        + ports + "]}]}\n", "spec.network.egress[0].ports"),
                arguments("100 000 disabled threat rules", HEADER + "  threats: {disable: [" + threats + "]}\n",
                        "spec.threats.disable"),
                arguments("100 000 listen rules", HEADER + "  network: {listen: [" + listen + "]}\n", "spec.network.listen"),
                arguments("100 000 process rules (over 1 MiB)", HEADER + "  processes: {allow: [" + exes + "]}\n", "<document>"),
                arguments("random bytes", new String(garbage, StandardCharsets.ISO_8859_1), "<document>"),
                arguments("a list where a mapping belongs", HEADER + "  processes: [/bin/sh]\n", "spec.processes"),
                arguments("a number where a list belongs", HEADER + "  network: {egress: 443}\n", "spec.network.egress"),
                arguments("a string where a boolean belongs", HEADER + "  processes: {allowRoot: sometimes}\n",
                        "spec.processes.allowRoot"),
                arguments("an invalid glob", HEADER + "  processes: {allow: [{exe: \"/usr/bin/[a-\"}]}\n",
                        "spec.processes.allow[0].exe"),
                arguments("an invalid CIDR", HEADER + "  network: {egress: [{cidr: 300.1.2.3/8}]}\n",
                        "spec.network.egress[0].cidr"),
                arguments("a CIDR with host bits", HEADER + "  network: {egress: [{cidr: 10.1.2.3/8}]}\n",
                        "spec.network.egress[0].cidr"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void aBadReplacementIsRefusedWithItsFieldAndTheLastGoodProfileStays(String what, String content, String path)
            throws Exception {
        Path file = dir.resolve("profile.yaml");
        Files.writeString(file, GOOD);
        ActiveProfile active = new ActiveProfile(Optional.of(file), Optional.empty(), Clock.systemUTC());
        Profile good = active.current();
        assertThat(good.mode()).isEqualTo(Mode.ENFORCE);

        // replaced the way editors and ConfigMaps do it: a new file moved over the old one
        Path next = dir.resolve(".profile.yaml.new");
        Files.write(next, content.getBytes(StandardCharsets.ISO_8859_1));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        long start = System.nanoTime();
        assertThat(active.refresh()).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).as(what + ": milliseconds to refuse").isLessThan(1000);

        assertThat(active.current()).as(what + ": the last good profile stays").isSameAs(good);
        ProfileError error = active.lastError().orElseThrow();
        assertThat(error.message()).as(what).contains(path).contains("keeping the last good profile");
        assertThat(error.message().length()).as(what + ": a bounded reason").isLessThan(20_000);
    }

    @Test
    void aRemovedFileKeepsTheProfileAndItsReturnIsPickedUp() throws Exception {
        Path file = dir.resolve("profile.yaml");
        Files.writeString(file, GOOD);
        ActiveProfile active = new ActiveProfile(Optional.of(file), Optional.empty(), Clock.systemUTC());
        Profile good = active.current();
        Files.delete(file);
        active.refresh();
        assertThat(active.current()).isSameAs(good);
        assertThat(active.lastError()).isPresent();
        Files.writeString(file, GOOD.replace("mode: enforce", "mode: monitor"));
        assertThat(active.refresh()).isTrue();
        assertThat(active.current().mode()).isEqualTo(Mode.MONITOR);
        assertThat(active.lastError()).isEmpty();
    }
}
