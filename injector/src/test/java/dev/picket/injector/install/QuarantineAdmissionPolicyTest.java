package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;

/**
 * The ValidatingAdmissionPolicy picket-own-pod-quarantine, evaluated with cel-java on pod updates a
 * sidecar may and may not make: a pod-bound token may add picket.dev/quarantined=true (and the reason
 * annotation) to its own pod, and change nothing else; requests that are not a sidecar's are not judged.
 */
class QuarantineAdmissionPolicyTest {

    private static final String QUARANTINED = "picket.dev/quarantined";
    private static final String REASON = "picket.dev/quarantine-reason";
    private static final String POD_NAME = "authentication.kubernetes.io/pod-name";
    private static final String POD_UID = "authentication.kubernetes.io/pod-uid";
    /** What the RoleBinding of components/namespace-binding grants the service accounts of "shop". */
    private static final Set<String> PICKET_NAMESPACE = Set.of("picket.dev/workloadprofiles/status shop patch");

    private static List<HasMetadata> install;
    private static ValidatingAdmissionPolicy policy;
    private static AdmissionPolicyCel cel;

    @BeforeAll
    static void load() {
        install = ManifestTree.install();
        policy = ManifestTree.one(install, ValidatingAdmissionPolicy.class, "picket-own-pod-quarantine");
        cel = new AdmissionPolicyCel(policy);
    }

    // ---- structure ------------------------------------------------------------------------------

    @Test
    void thePolicyJudgesPodUpdatesAndFailsClosed() {
        assertEquals("Fail", policy.getSpec().getFailurePolicy());
        List<NamedRuleWithOperations> rules = policy.getSpec().getMatchConstraints().getResourceRules();
        assertEquals(1, rules.size());
        assertAll(
                () -> assertEquals(List.of("UPDATE"), rules.get(0).getOperations()),
                () -> assertEquals(List.of(""), rules.get(0).getApiGroups()),
                () -> assertEquals(List.of("pods"), rules.get(0).getResources()));
        for (Validation validation : policy.getSpec().getValidations()) {
            assertNotNull(validation.getMessage(), "every validation says why it denies");
            assertEquals("Forbidden", validation.getReason());
        }
        List<String> conditions = policy.getSpec().getMatchConditions().stream().map(c -> c.getName()).toList();
        assertEquals(List.of("pod-bound-token", "service-account-of-the-pods-namespace", "holds-the-picket-sidecar-role"),
                conditions);
    }

    @Test
    void theBindingDeniesEverywhereButTheSystemNamespaces() {
        ValidatingAdmissionPolicyBinding binding = ManifestTree.one(install, ValidatingAdmissionPolicyBinding.class,
                "picket-own-pod-quarantine");
        assertEquals(policy.getMetadata().getName(), binding.getSpec().getPolicyName());
        assertTrue(binding.getSpec().getValidationActions().contains("Deny"), "the binding must deny, not only warn");
        Map<String, String> kubeSystem = Map.of("kubernetes.io/metadata.name", "kube-system");
        Map<String, String> picketSystem = Map.of("kubernetes.io/metadata.name", "picket-system");
        Map<String, String> shop = Map.of("kubernetes.io/metadata.name", "shop");
        var selector = binding.getSpec().getMatchResources().getNamespaceSelector();
        assertAll(
                () -> assertFalse(LabelSelectors.matches(selector, kubeSystem)),
                () -> assertFalse(LabelSelectors.matches(selector, picketSystem)),
                () -> assertTrue(LabelSelectors.matches(selector, shop)));
    }

    // ---- allowed --------------------------------------------------------------------------------

    @Test
    void theSidecarQuarantinesItsOwnPodWithLabelAndReason() {
        assertAllowed(update(sidecar(), pod(), p -> {
            labels(p).put(QUARANTINED, "true");
            annotations(p).put(REASON, "EGRESS to 203.0.113.7:4444/tcp");
        }));
    }

    @Test
    void theLabelAloneIsEnough() {
        assertAllowed(update(sidecar(), pod(), p -> labels(p).put(QUARANTINED, "true")));
    }

    @Test
    void aPodWithNoLabelsOrAnnotationsAtAllCanBeQuarantined() {
        Map<String, Object> bare = pod();
        metadata(bare).remove("labels");
        metadata(bare).remove("annotations");
        assertAllowed(update(sidecar(), bare, p -> {
            labels(p).put(QUARANTINED, "true");
            annotations(p).put(REASON, "THREAT reverse-shell");
        }));
    }

    @Test
    void writingAnAlreadyQuarantinedPodUnchangedIsAllowed() {
        Map<String, Object> quarantined = pod();
        labels(quarantined).put(QUARANTINED, "true");
        annotations(quarantined).put(REASON, "PROCESS /tmp/x");
        assertAllowed(update(sidecar(), quarantined, p -> { }));
    }

    // ---- denied ---------------------------------------------------------------------------------

    @Test
    void anotherPodOfTheNamespaceIsRefused() {
        Map<String, Object> other = pod();
        metadata(other).put("name", "web-2");
        metadata(other).put("uid", "uid-2");
        assertDenied(update(sidecar(), other, p -> labels(p).put(QUARANTINED, "true")), "only its own pod");
    }

    @Test
    void aRecreatedPodOfTheSameNameIsNotTheTokensPod() {
        Map<String, Object> recreated = pod();
        metadata(recreated).put("uid", "uid-new");
        assertDenied(update(sidecar(), recreated, p -> labels(p).put(QUARANTINED, "true")), "only its own pod");
    }

    @Test
    void aTokenWithThePodNameButNoUidIsJudgedAndRefused() {
        Map<String, Object> request = sidecar();
        extra(request).remove(POD_UID);
        assertDenied(update(request, pod(), p -> labels(p).put(QUARANTINED, "true")), "only its own pod");
    }

    @Test
    void theQuarantineLabelIsOneWay() {
        Map<String, Object> quarantined = pod();
        labels(quarantined).put(QUARANTINED, "true");
        annotations(quarantined).put(REASON, "PROCESS /tmp/x");
        assertAll(
                () -> assertDenied(update(sidecar(), quarantined, p -> {
                    labels(p).remove(QUARANTINED);
                    annotations(p).remove(REASON);
                }), "never remove or change it"),
                () -> assertDenied(update(sidecar(), quarantined, p -> labels(p).put(QUARANTINED, "false")),
                        "never remove or change it"),
                () -> assertDenied(update(sidecar(), pod(), p -> labels(p).put(QUARANTINED, "false")),
                        "only add picket.dev/quarantined=true"),
                () -> assertDenied(update(sidecar(), pod(), p -> labels(p).put(QUARANTINED, "yes")),
                        "only add picket.dev/quarantined=true"));
    }

    @Test
    void noOtherLabelMayChange() {
        assertAll(
                () -> assertDenied(update(sidecar(), pod(), p -> labels(p).put("app", "db")), "no label but"),
                () -> assertDenied(update(sidecar(), pod(), p -> labels(p).remove("app")), "no label but"),
                () -> assertDenied(update(sidecar(), pod(), p -> {
                    labels(p).put(QUARANTINED, "true");
                    labels(p).put("tier", "frontend");
                }), "no label but"));
    }

    @Test
    void noOtherAnnotationMayChange() {
        assertAll(
                () -> assertDenied(update(sidecar(), pod(), p -> annotations(p).put("picket.dev/status", "{}")),
                        "no annotation but"),
                () -> assertDenied(update(sidecar(), pod(), p -> annotations(p).put("note", "hi")), "no annotation but"));
    }

    @Test
    void theReasonIsWrittenOnlyTogetherWithTheQuarantine() {
        Map<String, Object> quarantined = pod();
        labels(quarantined).put(QUARANTINED, "true");
        annotations(quarantined).put(REASON, "PROCESS /tmp/x");
        assertAll(
                () -> assertDenied(update(sidecar(), pod(), p -> annotations(p).put(REASON, "made up")),
                        "only be written together"),
                () -> assertDenied(update(sidecar(), quarantined, p -> annotations(p).put(REASON, "rewritten")),
                        "only be written together"),
                () -> assertDenied(update(sidecar(), quarantined, p -> annotations(p).remove(REASON)),
                        "only be written together"));
    }

    @Test
    void theSpecFinalizersAndOwnersMayNotChange() {
        assertAll(
                () -> assertDenied(update(sidecar(), pod(), p -> container(p).put("image", "evil:latest")),
                        "may not change the pod's spec"),
                () -> assertDenied(update(sidecar(), pod(), p -> {
                    labels(p).put(QUARANTINED, "true");
                    spec(p).put("activeDeadlineSeconds", 1L);
                }), "may not change the pod's spec"),
                () -> assertDenied(update(sidecar(), pod(), p -> metadata(p).put("finalizers", List.of("x/y"))),
                        "finalizers or owner references"),
                () -> assertDenied(update(sidecar(), pod(), p -> metadata(p).remove("ownerReferences")),
                        "finalizers or owner references"));
    }

    // ---- not judged -----------------------------------------------------------------------------

    @Test
    void requestsThatAreNotASidecarsAreNotJudged() {
        Map<String, Object> controller = request("system:serviceaccount:kube-system:replicaset-controller", null);
        Map<String, Object> human = request("alice@example.com", null);
        Map<String, Object> unbound = request("system:serviceaccount:shop:deployer", null);
        Map<String, Object> operator = request("system:serviceaccount:ops:operator", Map.of(
                POD_NAME, List.of("operator-0"), POD_UID, List.of("uid-op")));
        Map<String, Object> withoutExtra = request("system:serviceaccount:shop:default", null);
        userInfo(withoutExtra).remove("extra");
        Consumer<Map<String, Object>> relabel = p -> labels(p).put("app", "db");
        assertAll(
                () -> assertInstanceOf(AdmissionPolicyCel.NotMatched.class, cel.evaluate(controller, pod(), changed(pod(), relabel), Set.of())),
                () -> assertInstanceOf(AdmissionPolicyCel.NotMatched.class, cel.evaluate(human, pod(), changed(pod(), relabel), PICKET_NAMESPACE)),
                () -> assertInstanceOf(AdmissionPolicyCel.NotMatched.class, cel.evaluate(unbound, pod(), changed(pod(), relabel), PICKET_NAMESPACE)),
                () -> assertInstanceOf(AdmissionPolicyCel.NotMatched.class, cel.evaluate(operator, pod(), changed(pod(), relabel), PICKET_NAMESPACE)),
                () -> assertInstanceOf(AdmissionPolicyCel.NotMatched.class, cel.evaluate(withoutExtra, pod(), changed(pod(), relabel), PICKET_NAMESPACE)));
    }

    @Test
    void inANamespaceWithoutPicketPodBoundTokensAreNotJudged() {
        // The same pod-bound request, but nobody bound picket-sidecar in "shop": a workload that labels
        // its own pods keeps working where Picket is not installed.
        AdmissionPolicyCel.Outcome outcome = cel.evaluate(sidecar(), pod(), changed(pod(), p -> labels(p).put("role", "leader")),
                Set.of());
        assertEquals(new AdmissionPolicyCel.NotMatched("holds-the-picket-sidecar-role"), outcome);
    }

    // ---- fixtures -------------------------------------------------------------------------------

    private record Update(Map<String, Object> request, Map<String, Object> oldObject, Map<String, Object> object) {
    }

    private static Update update(Map<String, Object> request, Map<String, Object> oldObject, Consumer<Map<String, Object>> change) {
        return new Update(request, oldObject, changed(oldObject, change));
    }

    private static Map<String, Object> changed(Map<String, Object> pod, Consumer<Map<String, Object>> change) {
        Map<String, Object> copy = deepCopy(pod);
        change.accept(copy);
        return copy;
    }

    private static void assertAllowed(Update update) {
        assertEquals(new AdmissionPolicyCel.Allowed(), cel.evaluate(update.request(), update.oldObject(), update.object(),
                PICKET_NAMESPACE));
    }

    private static void assertDenied(Update update, String messagePart) {
        AdmissionPolicyCel.Outcome outcome = cel.evaluate(update.request(), update.oldObject(), update.object(), PICKET_NAMESPACE);
        AdmissionPolicyCel.Denied denied = assertInstanceOf(AdmissionPolicyCel.Denied.class, outcome);
        assertTrue(denied.messages().stream().anyMatch(m -> m.contains(messagePart)),
                "expected a denial saying '" + messagePart + "', got " + denied.messages());
    }

    /** The sidecar of pod shop/web-1 (uid-1), with its pod-bound token. */
    private static Map<String, Object> sidecar() {
        return request("system:serviceaccount:shop:default", Map.of(POD_NAME, List.of("web-1"), POD_UID, List.of("uid-1")));
    }

    private static Map<String, Object> request(String username, Map<String, List<String>> extra) {
        Map<String, Object> userInfo = new LinkedHashMap<>();
        userInfo.put("username", username);
        userInfo.put("groups", new ArrayList<>(List.of("system:authenticated")));
        if (extra != null) {
            userInfo.put("extra", new LinkedHashMap<>(extra));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("namespace", "shop");
        request.put("operation", "UPDATE");
        request.put("userInfo", userInfo);
        return request;
    }

    /** A stored pod as the API server has it: defaulted, with uid, owner and the injector's status. */
    private static Map<String, Object> pod() {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "web");
        container.put("image", "python:3.13-slim");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("containers", new ArrayList<>(List.of(container)));
        spec.put("shareProcessNamespace", true);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "web-1");
        metadata.put("namespace", "shop");
        metadata.put("uid", "uid-1");
        metadata.put("labels", new LinkedHashMap<>(Map.of("app", "web")));
        metadata.put("annotations", new LinkedHashMap<>(Map.of("picket.dev/status", "{\"version\":\"0.1.0\"}")));
        metadata.put("ownerReferences", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of(
                "apiVersion", "apps/v1", "kind", "ReplicaSet", "name", "web-5d8f", "uid", "uid-rs")))));
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        pod.put("metadata", metadata);
        pod.put("spec", spec);
        return pod;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, copyValue(v)));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> m) {
            return deepCopy((Map<String, Object>) m);
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(copyValue(v)));
            return copy;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> pod) {
        return (Map<String, Object>) pod.get("metadata");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> pod) {
        return (Map<String, Object>) pod.get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Map<String, Object> pod) {
        return ((List<Map<String, Object>>) spec(pod).get("containers")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labels(Map<String, Object> pod) {
        return (Map<String, Object>) metadata(pod).computeIfAbsent("labels", k -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> annotations(Map<String, Object> pod) {
        return (Map<String, Object>) metadata(pod).computeIfAbsent("annotations", k -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> userInfo(Map<String, Object> request) {
        return (Map<String, Object>) request.get("userInfo");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> extra(Map<String, Object> request) {
        return (Map<String, Object>) userInfo(request).get("extra");
    }
}
