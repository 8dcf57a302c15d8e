package dev.picket.injector.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** The profile that will govern a pod, chosen as the sidecar chooses it. */
class ProfileChoiceTest {

    private static AdmissionProfile profile(String name, String created, LabelSelector selector, List<String> problems) {
        return new AdmissionProfile("shop", name, Optional.ofNullable(created).map(Instant::parse),
                Optional.ofNullable(selector), ImagePolicy.NONE, false, problems);
    }

    private static final LabelSelector APP_SHOP = new LabelSelectorBuilder().withMatchLabels(Map.of("app", "shop")).build();

    private static Pod pod(Map<String, String> labels, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName("p").withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("x.io/a").endContainer().endSpec().build();
    }

    private static String chosen(ProfileChoice.Governance g) {
        return assertInstanceOf(ProfileChoice.Governed.class, g).profile().name();
    }

    @Test
    void theOldestMatchingProfileWinsThenTheLowestName() {
        List<AdmissionProfile> profiles = List.of(
                profile("a-new", "2025-01-01T00:00:00Z", APP_SHOP, List.of()),
                profile("z-old", "2024-01-01T00:00:00Z", APP_SHOP, List.of()),
                profile("b-old", "2024-01-01T00:00:00Z", APP_SHOP, List.of()),
                profile("c-undated", null, APP_SHOP, List.of()),
                profile("other", "2020-01-01T00:00:00Z",
                        new LabelSelectorBuilder().withMatchLabels(Map.of("app", "other")).build(), List.of()),
                profile("by-name-only", "2019-01-01T00:00:00Z", null, List.of()));
        ProfileChoice.Governance g = ProfileChoice.choose(profiles, pod(Map.of("app", "shop"), Map.of()), "picket");
        assertEquals("b-old", chosen(g));
        assertEquals("spec.selector matches the pod's labels (the oldest of 4 matching profiles)", g.reason());
    }

    @Test
    void aNameChoosesThatProfileOnlyAndAMissingOneIsUnresolvable() {
        List<AdmissionProfile> profiles = List.of(profile("shop", "2024-01-01T00:00:00Z", APP_SHOP, List.of()),
                profile("by-name-only", null, null, List.of()));
        assertEquals("by-name-only", chosen(ProfileChoice.choose(profiles,
                pod(Map.of("app", "shop"), Map.of("picket.dev/profile", "by-name-only")), "picket")));
        ProfileChoice.Governance missing = ProfileChoice.choose(profiles,
                pod(Map.of("app", "shop"), Map.of("picket.dev/profile", "checkout")), "picket");
        assertInstanceOf(ProfileChoice.Unresolvable.class, missing);
        assertEquals("the pod names WorkloadProfile checkout (picket.dev/profile), which does not exist in its namespace",
                missing.reason());
    }

    @Test
    void theSidecarsEnvironmentNamesTheProfileFirst() {
        Pod injected = new PodBuilder(pod(Map.of(), Map.of("picket.dev/profile", "ignored")))
                .editSpec().addNewInitContainer().withName("picket").withImage("ghcr.io/picket-dev/picket:0.1.0")
                .addNewEnv().withName("PICKET_PROFILE_NAME").withValue("by-name-only").endEnv().endInitContainer()
                .endSpec().build();
        assertEquals("by-name-only", chosen(ProfileChoice.choose(List.of(profile("by-name-only", null, null, List.of())),
                injected, "picket")));
    }

    @Test
    void selectorsFollowKubernetesRules() {
        LabelSelector exprs = new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("tier").withOperator("In").withValues("web", "api").endMatchExpression()
                .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist").endMatchExpression()
                .addNewMatchExpression().withKey("env").withOperator("NotIn").withValues("dev").endMatchExpression()
                .addNewMatchExpression().withKey("team").withOperator("Exists").endMatchExpression()
                .build();
        List<AdmissionProfile> profiles = List.of(profile("exprs", null, exprs, List.of()));
        assertEquals("exprs", chosen(ProfileChoice.choose(profiles, pod(Map.of("tier", "web", "team", "a"), Map.of()),
                "picket")));
        assertInstanceOf(ProfileChoice.Ungoverned.class, ProfileChoice.choose(profiles,
                pod(Map.of("tier", "web", "team", "a", "canary", "1"), Map.of()), "picket"));
        assertInstanceOf(ProfileChoice.Ungoverned.class, ProfileChoice.choose(profiles,
                pod(Map.of("tier", "web", "team", "a", "env", "dev"), Map.of()), "picket"));
        assertEquals("all", chosen(ProfileChoice.choose(List.of(profile("all", null, new LabelSelector(), List.of())),
                pod(Map.of(), Map.of()), "picket")), "{} selects every pod");
    }

    @Test
    void anInvalidChosenProfileIsUnresolvable() {
        ProfileChoice.Governance g = ProfileChoice.choose(List.of(profile("shop", null, APP_SHOP,
                List.of("spec.podSecurity: must be warn or enforce"))), pod(Map.of("app", "shop"), Map.of()), "picket");
        assertInstanceOf(ProfileChoice.Unresolvable.class, g);
        assertEquals("WorkloadProfile shop/shop (spec.selector matches the pod's labels) is invalid: "
                + "spec.podSecurity: must be warn or enforce", g.reason());
    }
}
