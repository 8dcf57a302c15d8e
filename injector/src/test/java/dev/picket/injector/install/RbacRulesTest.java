package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

/**
 * Every rule of every Role and ClusterRole, listed exactly: a widened verb, resource or name fails here and
 * has to be argued for. The injector's rules are the ones docs/injector.md lists for its TLS mode; the
 * sidecar's are issue #5's.
 */
class RbacRulesTest {

    private static final Map<String, Set<String>> INJECTOR_ROLES = Map.of(
            "ClusterRole/picket-injector", Set.of(
                    "core namespaces [get, list, watch]",
                    "picket.dev workloadprofiles [get, list, watch]"),
            "ClusterRole/picket-injector-webhook-ca", Set.of(
                    "admissionregistration.k8s.io mutatingwebhookconfigurations names=[picket-injector] [get, patch]"),
            "Role/picket-system/picket-injector-tls", Set.of(
                    "core secrets [create]",
                    "core secrets names=[picket-injector-tls] [get, update]"));

    private static final Map<String, Set<String>> SIDECAR_ROLES = Map.of(
            "ClusterRole/picket-sidecar", Set.of(
                    "core pods [get, patch, watch]",
                    "picket.dev workloadprofiles [get, list, watch]",
                    "picket.dev workloadprofiles/status [get, patch, update]",
                    "events.k8s.io events [create, patch]"),
            "ClusterRole/picket-sidecar-auth", Set.of(
                    "authentication.k8s.io tokenreviews [create]",
                    "authorization.k8s.io subjectaccessreviews [create]"),
            // The verbs dev.picket.kube.KubeAuthorizer asks a SubjectAccessReview for, one per control call kind.
            "ClusterRole/picket-operator", Set.of(
                    "picket.dev workloadprofiles/observed [get]",
                    "picket.dev workloadprofiles/quarantine [create]",
                    "picket.dev workloadprofiles/mode [update]"));

    private static final Map<String, String> INJECTOR_BINDINGS = Map.of(
            "ClusterRoleBinding/picket-injector", "ClusterRole/picket-injector -> ServiceAccount picket-system/picket-injector",
            "ClusterRoleBinding/picket-injector-webhook-ca",
            "ClusterRole/picket-injector-webhook-ca -> ServiceAccount picket-system/picket-injector",
            "RoleBinding/picket-system/picket-injector-tls", "Role/picket-injector-tls -> ServiceAccount picket-system/picket-injector");

    private static final Map<String, String> SIDECAR_BINDINGS = Map.of(
            "ClusterRoleBinding/picket-sidecar-auth", "ClusterRole/picket-sidecar-auth -> Group system:serviceaccounts");

    @Test
    void theInstallGrantsExactlyTheListedRules() {
        List<HasMetadata> install = ManifestTree.install();
        assertEquals(merge(INJECTOR_ROLES, SIDECAR_ROLES), roles(install));
        assertEquals(merge(INJECTOR_BINDINGS, SIDECAR_BINDINGS), bindings(install));
    }

    @Test
    void withCertManagerTheInjectorKeepsOnlyTheNamespaceReads() {
        Kubectl.require();
        List<HasMetadata> objects = ManifestTree.built(ManifestTree.ROOT.resolve("overlays/cert-manager"));
        assertEquals(merge(Map.of("ClusterRole/picket-injector", INJECTOR_ROLES.get("ClusterRole/picket-injector")), SIDECAR_ROLES),
                roles(objects));
        assertEquals(merge(Map.of("ClusterRoleBinding/picket-injector", INJECTOR_BINDINGS.get("ClusterRoleBinding/picket-injector")),
                SIDECAR_BINDINGS), bindings(objects));
    }

    @Test
    void theNamespaceBindingGrantsTheSidecarRoleToTheServiceAccountsOfItsNamespaceOnly() {
        Kubectl.require();
        List<HasMetadata> demo = ManifestTree.built(ManifestTree.ROOT.resolve("examples/demo"));
        assertEquals(Map.of(), roles(demo), "the per-namespace component adds no role of its own");
        assertEquals(Map.of("RoleBinding/picket-demo/picket-sidecar",
                "ClusterRole/picket-sidecar -> Group system:serviceaccounts:picket-demo"), bindings(demo));
    }

    static <V> Map<String, V> merge(Map<String, V> a, Map<String, V> b) {
        Map<String, V> merged = new TreeMap<>(a);
        merged.putAll(b);
        return merged;
    }

    static Map<String, Set<String>> roles(List<HasMetadata> objects) {
        Map<String, Set<String>> roles = new TreeMap<>();
        for (ClusterRole role : ManifestTree.all(objects, ClusterRole.class)) {
            if (role.getAggregationRule() != null) {
                roles.put("ClusterRole/" + role.getMetadata().getName(), Set.of("aggregationRule (not allowed here)"));
            } else {
                roles.put("ClusterRole/" + role.getMetadata().getName(), rules(role.getRules()));
            }
        }
        for (Role role : ManifestTree.all(objects, Role.class)) {
            roles.put("Role/" + role.getMetadata().getNamespace() + "/" + role.getMetadata().getName(), rules(role.getRules()));
        }
        return roles;
    }

    /** One line per (apiGroup, resource, resourceNames), verbs sorted: how the rules read, whatever their grouping. */
    private static Set<String> rules(List<PolicyRule> rules) {
        Map<String, Set<String>> verbs = new TreeMap<>();
        for (PolicyRule rule : rules) {
            if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
                verbs.computeIfAbsent("nonResourceURLs " + rule.getNonResourceURLs(), k -> new TreeSet<>()).addAll(rule.getVerbs());
                continue;
            }
            String names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                    ? "" : " names=" + new TreeSet<>(rule.getResourceNames());
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    String key = (group.isEmpty() ? "core" : group) + " " + resource + names;
                    verbs.computeIfAbsent(key, k -> new TreeSet<>()).addAll(rule.getVerbs());
                }
            }
        }
        return verbs.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.toSet());
    }

    static Map<String, String> bindings(List<HasMetadata> objects) {
        Map<String, String> bindings = new TreeMap<>();
        for (ClusterRoleBinding b : ManifestTree.all(objects, ClusterRoleBinding.class)) {
            bindings.put("ClusterRoleBinding/" + b.getMetadata().getName(), binding(b.getRoleRef(), b.getSubjects()));
        }
        for (RoleBinding b : ManifestTree.all(objects, RoleBinding.class)) {
            bindings.put("RoleBinding/" + b.getMetadata().getNamespace() + "/" + b.getMetadata().getName(),
                    binding(b.getRoleRef(), b.getSubjects()));
        }
        return bindings;
    }

    private static String binding(RoleRef ref, List<Subject> subjects) {
        return ref.getKind() + "/" + ref.getName() + " -> " + subjects.stream()
                .map(s -> s.getKind() + " " + (s.getNamespace() == null ? "" : s.getNamespace() + "/") + s.getName())
                .sorted().collect(Collectors.joining(", "));
    }
}
