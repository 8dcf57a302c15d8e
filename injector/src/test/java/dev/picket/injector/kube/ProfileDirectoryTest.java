package dev.picket.injector.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.picket.injector.policy.ProfileLookup;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Without a synced cache the directory says so at once, instead of asking the API server during admission. */
class ProfileDirectoryTest {

    private static ProfileDirectory against(KubernetesClient client) {
        ProfileDirectory directory = new ProfileDirectory();
        directory.client = client;
        return directory;
    }

    private static KubernetesClient unreachable() {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1")
                .withRequestTimeout(500).withConnectionTimeout(200).withRequestRetryBackoffLimit(0).build()).build();
    }

    @Test
    void anApiServerThatCannotBeReachedLeavesTheProfilesUnavailable() {
        try (KubernetesClient client = unreachable()) {
            ProfileDirectory directory = against(client);
            long start = System.nanoTime();
            directory.start(Set.of(), Duration.ofMillis(300));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "start-up waits a bounded time");
            try {
                long lookup = System.nanoTime();
                ProfileLookup.Unavailable u = assertInstanceOf(ProfileLookup.Unavailable.class, directory.lookup("shop"));
                assertTrue(System.nanoTime() - lookup < Duration.ofMillis(100).toNanos(), "a lookup never waits");
                assertTrue(u.reason().startsWith("the WorkloadProfile cache has not synced yet"), u.reason());
            } finally {
                directory.stop();
            }
        }
    }

    @Test
    void aNamespaceOutsideTheWatchedOnesIsUnavailableWithTheSettingNamed() {
        try (KubernetesClient client = unreachable()) {
            ProfileDirectory directory = against(client);
            directory.start(Set.of("shop"), Duration.ofMillis(50));
            try {
                assertEquals(new ProfileLookup.Unavailable("the injector does not watch WorkloadProfiles in namespace "
                        + "payments (picket.injector.profiles.namespaces)"), directory.lookup("payments"));
                assertInstanceOf(ProfileLookup.Unavailable.class, directory.lookup("shop"));
            } finally {
                directory.stop();
            }
        }
    }
}
