package dev.picket.judge;

import dev.picket.observe.ForkCount;
import dev.picket.profile.ThreatRule;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * fork-burst in the local modes, where forks are the new processes each scan sees. The first scan sees
 * every process of the tree for the first time: that is a starting point, not a burst.
 */
class ForkBurstLocalTest {

    @Test
    void startingToWatchABusyTreeIsNoBurst() {
        Tools.requireTools();
        try (Spawner root = Spawner.start()) {
            root.spawn("/bin/sh", "-c", "for i in $(seq 60); do sleep 600 & done; wait");
            Tools.await(Duration.ofSeconds(10), "61 processes under the spawner",
                    () -> ProcessHandle.of(root.pid()).map(h -> h.descendants().count()).orElse(0L) >= 61);
            try (Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
                w.scanFor(Duration.ofMillis(3000));
                assertThat(w.last().forks().source()).isEqualTo(ForkCount.Source.OBSERVED);
                assertThat(w.last().totals().processes()).isEqualTo(62);
                assertThat(w.of(ThreatRule.FORK_BURST.id())).as(w.report()).isEmpty();
            }
        }
    }
}
