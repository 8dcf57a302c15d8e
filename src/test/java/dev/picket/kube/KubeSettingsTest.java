package dev.picket.kube;

import dev.picket.config.PicketConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubeSettingsTest {

    static PicketConfig.Kube config(String enabled, Path token) {
        return new PicketConfig.Kube() {
            public String enabled() { return enabled; }
            public Optional<String> podName() { return Optional.empty(); }
            public Optional<String> podNamespace() { return Optional.empty(); }
            public Optional<String> profileName() { return Optional.empty(); }
            public Path tokenFile() { return token; }
            public int queueSize() { return 8; }
            public Duration retryInitial() { return Duration.ofMillis(10); }
            public Duration retryMax() { return Duration.ofMillis(100); }
            public Duration labelTimeout() { return Duration.ofSeconds(2); }
            public Duration statusInterval() { return Duration.ofSeconds(5); }
            public Duration authCacheTtl() { return Duration.ofSeconds(10); }
            public Duration profileWait() { return Duration.ofSeconds(10); }
            public Duration eventSeriesWindow() { return Duration.ofMinutes(30); }
            public int eventNoteLimit() { return 1024; }
        };
    }

    private static final Map<String, String> POD_ENV = Map.of("POD_NAME", "web-1", "POD_NAMESPACE", "shop",
            "POD_UID", "u-1", "PICKET_PROFILE_NAME", "web");

    @Test
    void autoNeedsThePodAndAToken(@TempDir Path dir) throws IOException {
        Path token = dir.resolve("token");
        assertThat(KubeSettings.resolve(config("auto", token), POD_ENV).enabled()).isFalse();
        Files.writeString(token, "t");
        KubeSettings on = KubeSettings.resolve(config("auto", token), POD_ENV);
        assertThat(on.enabled()).isTrue();
        assertThat(on.pod()).contains(new PodIdentity("shop", "web-1", Optional.of("u-1"), Optional.of("web")));
        assertThat(KubeSettings.resolve(config("auto", token), Map.of("POD_NAME", "web-1")).enabled()).isFalse();
        assertThat(KubeSettings.resolve(config("false", token), POD_ENV).enabled()).isFalse();
    }

    @Test
    void trueWithoutThePodIsAConfigurationError(@TempDir Path dir) {
        assertThat(KubeSettings.resolve(config("true", dir.resolve("none")), POD_ENV).enabled()).isTrue();
        assertThatThrownBy(() -> KubeSettings.resolve(config("true", dir.resolve("none")), Map.of()))
                .hasMessageContaining("POD_NAME");
        assertThatThrownBy(() -> KubeSettings.resolve(config("yes", dir), POD_ENV)).hasMessageContaining("auto, true, false");
    }
}
