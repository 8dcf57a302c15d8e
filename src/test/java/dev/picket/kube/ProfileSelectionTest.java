package dev.picket.kube;

import dev.picket.profile.WorkloadProfile;
import dev.picket.profile.WorkloadProfileSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileSelectionTest {

    static WorkloadProfile profile(String name, String created, LabelSelector selector) {
        WorkloadProfileSpec spec = new WorkloadProfileSpec();
        spec.setSelector(selector);
        WorkloadProfile p = WorkloadProfile.of(name, spec);
        p.getMetadata().setNamespace("shop");
        p.getMetadata().setCreationTimestamp(created);
        return p;
    }

    static LabelSelector labels(String k, String v) {
        return new LabelSelectorBuilder().addToMatchLabels(k, v).build();
    }

    private final Map<String, String> web = Map.of("app", "web", "tier", "front");

    @Test
    void aNameWinsAndTheSelectorIsNotConsulted() {
        var named = profile("named", "2026-01-02T00:00:00Z", null);
        var selecting = profile("selecting", "2026-01-01T00:00:00Z", labels("app", "web"));
        var s = ProfileSelection.choose(List.of(named, selecting), Optional.of("named"), web);
        assertThat(s.chosen()).contains(named);
        var missing = ProfileSelection.choose(List.of(selecting), Optional.of("named"), web);
        assertThat(missing.chosen()).isEmpty();
        assertThat(missing.reason()).contains("does not exist");
    }

    @Test
    void theSelectorMatchesLabelsAndExpressions() {
        var bySet = profile("by-set", "2026-01-01T00:00:00Z", new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("tier").withOperator("In").withValues("front", "edge").endMatchExpression()
                .addNewMatchExpression().withKey("debug").withOperator("DoesNotExist").endMatchExpression().build());
        assertThat(ProfileSelection.choose(List.of(bySet), Optional.empty(), web).chosen()).contains(bySet);
        assertThat(ProfileSelection.choose(List.of(bySet), Optional.empty(), Map.of("tier", "back")).chosen()).isEmpty();
        assertThat(ProfileSelection.choose(List.of(profile("no-selector", null, null)), Optional.empty(), web).chosen())
                .isEmpty();
        var all = profile("all", null, new LabelSelector());
        assertThat(ProfileSelection.choose(List.of(all), Optional.empty(), Map.of()).chosen()).contains(all);
    }

    @Test
    void ofSeveralMatchesTheOldestThenTheLowestNameWinsAndTheOthersAreNamed() {
        var young = profile("a-young", "2026-03-01T00:00:00Z", labels("app", "web"));
        var oldB = profile("b-old", "2026-01-01T00:00:00Z", labels("app", "web"));
        var oldA = profile("a-old", "2026-01-01T00:00:00Z", labels("tier", "front"));
        var s = ProfileSelection.choose(List.of(young, oldB, oldA), Optional.empty(), web);
        assertThat(s.chosen()).contains(oldA);
        assertThat(s.others()).containsExactly("b-old", "a-young");
        assertThat(s.reason()).contains("3 profiles match").contains("oldest");
        assertThat(ProfileSelection.choose(List.of(oldA, young, oldB), Optional.empty(), web).chosen()).contains(oldA);
    }
}
