package dev.picket.kube;

import dev.picket.kube.QuarantineLabel.Action;
import dev.picket.respond.QuarantineRecord;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The label is the cluster's record, the state file the pod's; what wins when they disagree. */
class QuarantineLabelTest {

    @Test
    void aLabelWithoutStateQuarantinesWhateverWasSeenBefore() {
        assertThat(QuarantineLabel.decide(false, true, false)).isEqualTo(Action.QUARANTINE_FROM_LABEL);
        assertThat(QuarantineLabel.decide(false, true, true)).isEqualTo(Action.QUARANTINE_FROM_LABEL);
    }

    @Test
    void labelAndStateTogetherAreConfirmed() {
        assertThat(QuarantineLabel.decide(true, true, false)).isEqualTo(Action.CONFIRM);
        assertThat(QuarantineLabel.decide(true, true, true)).isEqualTo(Action.CONFIRM);
    }

    @Test
    void aLabelSeenAndThenGoneIsAnOperatorsRelease() {
        assertThat(QuarantineLabel.decide(true, false, true)).isEqualTo(Action.RELEASE);
    }

    @Test
    void aLabelNeverSeenIsSetAgainRatherThanTakenAsARelease() {
        // the file says quarantined, the label is absent and was never confirmed: the API server failed or the
        // sidecar restarted before the retry; failing open here would release a pod nobody released
        assertThat(QuarantineLabel.decide(true, false, false)).isEqualTo(Action.PUBLISH);
    }

    @Test
    void neitherMeansNothing() {
        assertThat(QuarantineLabel.decide(false, false, false)).isEqualTo(Action.NOTHING);
        assertThat(QuarantineLabel.decide(false, false, true)).isEqualTo(Action.NOTHING);
    }

    @Test
    void onlyTheValueTrueQuarantines() {
        assertThat(QuarantineLabel.labelled(new PodBuilder().withNewMetadata().addToLabels("picket.dev/quarantined", "true")
                .endMetadata().build())).isTrue();
        assertThat(QuarantineLabel.labelled(new PodBuilder().withNewMetadata().addToLabels("picket.dev/quarantined", "false")
                .endMetadata().build())).isFalse();
        assertThat(QuarantineLabel.labelled(new PodBuilder().withNewMetadata().endMetadata().build())).isFalse();
    }

    @Test
    void theSeenMarkerBelongsToOnePod(@TempDir Path dir) {
        QuarantineLabel label = new QuarantineLabel(dir, new PodIdentity("shop", "web-1", Optional.empty(), Optional.empty()));
        assertThat(label.seenBefore("uid-1")).isFalse();
        label.markSeen("uid-1");
        assertThat(label.seenBefore("uid-1")).isTrue();
        assertThat(label.seenBefore("uid-2")).as("a pod re-created under the same name").isFalse();
        label.clearSeen();
        assertThat(label.seenBefore("uid-1")).isFalse();
    }

    @Test
    void theReasonAnnotationIsOneBoundedLine() {
        String reason = QuarantineLabel.reasonValue(new QuarantineRecord("line one\nline two " + "x".repeat(2000),
                Instant.EPOCH, null, null, null));
        assertThat(reason).doesNotContain("\n").hasSizeLessThanOrEqualTo(QuarantineLabel.MAX_REASON);
    }
}
