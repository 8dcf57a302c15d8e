package dev.picket.injector.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.picket.injector.golden.TestSettings;
import dev.picket.injector.mutate.ResourceSettings;
import dev.picket.injector.mutate.SidecarSettings;
import dev.picket.injector.mutate.UidMode;
import io.quarkus.runtime.configuration.ConfigurationException;

/** Bad defaults stop the injector at start-up, naming the setting, instead of denying every pod later. */
class SettingsValidationTest {

    private static SidecarSettings with(String image, String pullPolicy, long uid, ResourceSettings resources) {
        return new SidecarSettings(image, pullPolicy, true, UidMode.SEPARATE, uid, 65532, resources);
    }

    @Test
    void theDocumentedDefaultsAreValid() {
        assertDoesNotThrow(() -> SettingsProducer.validate(TestSettings.sidecar()));
    }

    @Test
    void invalidDefaultsNameTheSetting() {
        ResourceSettings ok = TestSettings.sidecar().resources();
        ConfigurationException limit = assertThrows(ConfigurationException.class, () -> SettingsProducer.validate(
                with("ghcr.io/picket-dev/picket:0.1.0", "IfNotPresent", 65532,
                        new ResourceSettings(ok.cpuRequest(), ok.cpuLimit(), "256Mi", ok.memoryLimit()))));
        assertTrue(limit.getMessage().contains("picket.injector.sidecar.resources.memory-request"), limit.getMessage());

        ConfigurationException image = assertThrows(ConfigurationException.class,
                () -> SettingsProducer.validate(with("no such image!", "IfNotPresent", 65532, ok)));
        assertTrue(image.getMessage().contains("picket.injector.sidecar.image"), image.getMessage());

        assertThrows(ConfigurationException.class,
                () -> SettingsProducer.validate(with("picket", "Sometimes", 65532, ok)));
        assertThrows(ConfigurationException.class, () -> SettingsProducer.validate(with("picket", "IfNotPresent", 0, ok)));
    }
}
