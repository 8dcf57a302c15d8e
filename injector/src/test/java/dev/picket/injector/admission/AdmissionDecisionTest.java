package dev.picket.injector.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.picket.injector.config.InjectorConfig.OnFailure;
import dev.picket.injector.golden.TestNamespaces;
import dev.picket.injector.golden.TestSettings;
import dev.picket.injector.mutate.NamespaceInfo;
import dev.picket.injector.mutate.PodInjector;
import dev.picket.injector.mutate.SkipReason;
import dev.picket.injector.policy.AdmissionProfile;
import dev.picket.injector.policy.Finding;
import dev.picket.injector.policy.FindingRule;
import dev.picket.injector.policy.ImagePolicy;
import dev.picket.injector.policy.PolicyAction;
import dev.picket.injector.policy.ProfileLookup;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** The decision around the policies: failure modes, pods the policies do not judge, and how findings read. */
class AdmissionDecisionTest {

    private final PodInjector injector = new PodInjector(TestSettings.defaults());
    private static final NamespaceInfo ENABLED = TestNamespaces.info("team-enabled");

    private static Pod pod(String image, boolean privileged) {
        return new PodBuilder().withNewMetadata().withName("web").withLabels(Map.of("app", "shop")).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).withNewSecurityContext()
                .withPrivileged(privileged).endSecurityContext().endContainer().endSpec().build();
    }

    private static final ProfileLookup DENY_LATEST = new ProfileLookup.Available(List.of(new AdmissionProfile("team-enabled",
            "shop", Optional.empty(), Optional.of(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "shop")).build()),
            new ImagePolicy(Optional.empty(), Optional.empty(),
                    Optional.of(new ImagePolicy.Rule(List.of("latest"), PolicyAction.DENY))), true, List.of())));

    @Test
    void anUnsyncedCacheDeniesByDefault() {
        AdmissionAnswer a = AdmissionDecision.decide(pod("registry.example.com/shop/api:1", false), ENABLED,
                ns -> new ProfileLookup.Unavailable("the WorkloadProfile cache has not synced yet"), injector, OnFailure.DENY);
        assertEquals(AdmissionResult.DENIED, a.result());
        assertEquals("cannot check the pod's image policy and pod security: [profile_unresolved] the WorkloadProfile cache "
                + "has not synced yet (picket.injector.on-failure=deny)", a.message().orElseThrow());
        assertEquals(List.of(new Finding(FindingRule.PROFILE_UNRESOLVED, PolicyAction.DENY,
                "the WorkloadProfile cache has not synced yet")), a.findings());
    }

    @Test
    void withOnFailureAllowTheSidecarIsInjectedAndThePodIsJudgedWithoutProfileWithAWarning() {
        AdmissionAnswer a = AdmissionDecision.decide(pod("registry.example.com/shop/api:latest", true), ENABLED,
                ns -> new ProfileLookup.Unavailable("the WorkloadProfile cache has not synced yet"), injector, OnFailure.ALLOW);
        assertEquals(AdmissionResult.INJECTED, a.result());
        assertTrue(a.patch().isPresent());
        assertEquals(List.of(
                "picket: picket.injector.on-failure=allow: [profile_unresolved] the WorkloadProfile cache has not synced "
                        + "yet; the image policy was not checked",
                "picket: podSecurity warn (profile unresolved): [privileged] container app is privileged"), a.allWarnings());
    }

    @Test
    void aDenyingProfileDeniesAndStillCarriesTheWarnings() {
        AdmissionAnswer a = AdmissionDecision.decide(pod("registry.example.com/shop/api:latest", true), ENABLED,
                ns -> DENY_LATEST, injector, OnFailure.ALLOW);
        assertEquals(AdmissionResult.DENIED, a.result(), "a policy denial is a decision, not a failure: on-failure does not apply");
        assertEquals("denied by WorkloadProfile team-enabled/shop: [image_tag] container app: image "
                + "\"registry.example.com/shop/api:latest\" uses the denied tag latest; [privileged] container app is "
                + "privileged", a.message().orElseThrow());
        var review = a.toReview("admission.k8s.io/v1", "u1").getResponse();
        assertEquals("picket: " + a.message().orElseThrow(), review.getStatus().getMessage());
        assertEquals("image_tag=deny,privileged=deny", review.getAuditAnnotations().get("findings"));
    }

    @Test
    void podsThatDidNotAskForPicketAreNotJudged() {
        Pod plain = pod("registry.example.com/shop/api:latest", true);
        ProfileLookup.Unavailable down = new ProfileLookup.Unavailable("down");
        assertEquals(SkipReason.NOT_SELECTED, AdmissionDecision.decide(plain, TestNamespaces.info("team-plain"),
                ns -> down, injector, OnFailure.DENY).skip().orElseThrow());
        assertEquals(List.of(), AdmissionDecision.decide(plain, TestNamespaces.info("kube-system"), ns -> down, injector,
                OnFailure.DENY).findings());
        Pod optedOut = new PodBuilder(plain).editMetadata().addToLabels("picket.dev/inject", "false").endMetadata().build();
        AdmissionAnswer a = AdmissionDecision.decide(optedOut, ENABLED, ns -> down, injector, OnFailure.DENY);
        assertEquals(SkipReason.OPTED_OUT, a.skip().orElseThrow());
        assertEquals(List.of(), a.allWarnings());
    }

    @Test
    void anAlreadyInjectedPodIsJudgedWhereItWouldBeInjected() {
        Pod injected = new PodBuilder(pod("registry.example.com/shop/api:latest", false)).editMetadata()
                .addToAnnotations("picket.dev/status", "{}").endMetadata().build();
        assertEquals(AdmissionResult.DENIED, AdmissionDecision.decide(injected, ENABLED, ns -> DENY_LATEST, injector,
                OnFailure.DENY).result(), "a status annotation is no way around the image policy");
        assertEquals(SkipReason.ALREADY_INJECTED, AdmissionDecision.decide(injected, TestNamespaces.info("team-plain"),
                ns -> DENY_LATEST, injector, OnFailure.DENY).skip().orElseThrow(), "not selected: not judged");
    }

    @Test
    void warningsAreCappedAndCut() {
        PodBuilder many = new PodBuilder().withNewMetadata().withName("many").endMetadata().withNewSpec().endSpec();
        for (int i = 0; i < 40; i++) {
            many.editSpec().addNewContainer().withName("c" + i).withImage("x.io/" + "a".repeat(240)).withNewSecurityContext()
                    .withPrivileged(true).withAllowPrivilegeEscalation(true).endSecurityContext().endContainer().endSpec();
        }
        AdmissionAnswer a = AdmissionDecision.decide(many.build(), ENABLED, ns -> new ProfileLookup.Available(List.of()),
                injector, OnFailure.DENY);
        assertEquals(80, a.findings().size());
        assertEquals(16, a.allWarnings().size());
        assertEquals("picket: 65 more findings; the injector's log lists them all", a.allWarnings().getLast());
        assertTrue(a.allWarnings().stream().allMatch(w -> w.length() <= 256));
    }
}
