package dev.picket.judge;

import dev.picket.profile.Profile;
import dev.picket.profile.ViolationKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Learning, then enforcing with one judge, as VerdictService runs them. A team reviews the learned profile
 * and removes what it does not want before enforcing: what is still running must then be judged by the
 * enforced profile, although the judge saw it while learning.
 */
class ModeSwitchLocalTest {

    @Test
    void aProcessSeenWhileLearningIsJudgedByTheProfileEnforcedAfterwards() {
        Tools.requireTools();
        String tail = Tools.real("tail");
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            long kept = root.spawn("sleep", "570");
            long removed = root.spawn("tail", "-f", "/dev/null");
            String learned = w.learn(Duration.ofMillis(500));
            assertThat(learned).as("learned").contains(tail);
            assertThat(w.findings()).as("nothing but threats while learning").isEmpty();

            // the review: the entry for tail goes, with its parent line
            Profile reviewed = Profiles.compile(learned.replaceAll("(?m)^ {6}- exe: " + java.util.regex.Pattern.quote(tail)
                    + "\n( {8}parent: .*\n)?", ""));
            assertThat(reviewed.processAllowed(tail, Tools.python())).isFalse();
            w.profile(reviewed);
            w.until(Duration.ofSeconds(3), "the removed executable judged", x -> !x.of(ViolationKind.PROCESS).isEmpty());
            w.scanFor(Duration.ofMillis(500));
            assertThat(w.findings()).singleElement().satisfies(f -> {
                assertThat(f.rule()).isEqualTo(ProcessAllowlistRule.NOT_ALLOWED);
                assertThat(f.subject().pid()).isEqualTo((int) removed);
            });
            assertThat(w.last().process((int) kept)).isNotNull();
        }
    }
}
