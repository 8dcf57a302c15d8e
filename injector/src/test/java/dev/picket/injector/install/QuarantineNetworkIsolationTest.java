package dev.picket.injector.install;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

/**
 * The four quarantine isolations select pods labelled picket.dev/quarantined=true and let through only
 * Prometheus' scrape of 8789, DNS and the API server; the cluster-wide ones end in a Deny that other
 * policies cannot override.
 */
class QuarantineNetworkIsolationTest {

    private static final Path COMPONENTS = ManifestTree.ROOT.resolve("components");

    private static HasMetadata only(String component, String file) {
        List<HasMetadata> objects = ManifestTree.plainFile(COMPONENTS.resolve(component).resolve(file));
        assertEquals(1, objects.size(), component + "/" + file);
        return objects.get(0);
    }

    private static Set<String> ports(List<NetworkPolicyPort> ports) {
        return ports.stream().map(p -> p.getProtocol() + "/" + p.getPort().getIntVal()).collect(Collectors.toSet());
    }

    @Test
    void theNetworkPolicyAllowsOnlyScrapeDnsAndTheApiServer() {
        NetworkPolicy policy = (NetworkPolicy) only("quarantine-networkpolicy", "networkpolicy.yaml");
        assertEquals(Map.of("picket.dev/quarantined", "true"), policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(Set.of("Ingress", "Egress"), Set.copyOf(policy.getSpec().getPolicyTypes()));

        List<NetworkPolicyIngressRule> ingress = policy.getSpec().getIngress();
        assertEquals(1, ingress.size(), "one ingress rule: Prometheus");
        assertEquals(Set.of("TCP/8789"), ports(ingress.get(0).getPorts()));
        assertEquals(1, ingress.get(0).getFrom().size(), "namespace AND pod of Prometheus, in one peer");
        NetworkPolicyPeer prometheus = ingress.get(0).getFrom().get(0);
        assertTrue(prometheus.getNamespaceSelector() != null && prometheus.getPodSelector() != null
                && prometheus.getIpBlock() == null, "Prometheus is selected by its namespace and its pods together");

        List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
        assertEquals(2, egress.size(), "two egress rules: DNS and the API server");
        NetworkPolicyPeer dns = egress.get(0).getTo().get(0);
        assertAll("DNS",
                () -> assertEquals(1, egress.get(0).getTo().size()),
                () -> assertEquals(Map.of("kubernetes.io/metadata.name", "kube-system"), dns.getNamespaceSelector().getMatchLabels()),
                () -> assertEquals(Map.of("k8s-app", "kube-dns"), dns.getPodSelector().getMatchLabels()),
                () -> assertEquals(Set.of("UDP/53", "TCP/53"), ports(egress.get(0).getPorts())));
        assertAll("API server",
                () -> assertEquals(1, egress.get(1).getTo().size()),
                () -> assertTrue(egress.get(1).getTo().get(0).getIpBlock() != null, "the API server is no pod: ipBlock"),
                () -> assertEquals(Set.of("TCP/443", "TCP/6443"), ports(egress.get(1).getPorts())));
    }

    @Test
    void theAdminTierClusterNetworkPolicyEndsInDenyBothWays() {
        GenericKubernetesResource policy = (GenericKubernetesResource) only("quarantine-cluster-network-policy",
                "clusternetworkpolicy.yaml");
        assertEquals("Admin", policy.get("spec", "tier"));
        assertEquals(Map.of("picket.dev/quarantined", "true"), policy.get("spec", "subject", "pods", "podSelector", "matchLabels"));
        List<Map<String, Object>> ingress = policy.get("spec", "ingress");
        List<Map<String, Object>> egress = policy.get("spec", "egress");
        assertEquals("Deny", ingress.get(ingress.size() - 1).get("action"));
        assertEquals(List.of(Map.of("namespaces", Map.of())), ingress.get(ingress.size() - 1).get("from"),
                "the last ingress rule denies every pod");
        assertEquals("Deny", egress.get(egress.size() - 1).get("action"));
        assertTrue(egress.get(egress.size() - 1).get("to").toString().contains("0.0.0.0/0")
                && egress.get(egress.size() - 1).get("to").toString().contains("::/0"), "the last egress rule denies everything");
        assertEquals("[{tcp={destinationPort={number=8789}}}]", ingress.get(0).get("protocols").toString(),
                "the one ingress Accept is the scrape of 8789");
        for (List<Map<String, Object>> rules : List.of(ingress, egress)) {
            for (Map<String, Object> rule : rules.subList(0, rules.size() - 1)) {
                assertEquals("Accept", rule.get("action"));
                assertTrue(rule.containsKey("protocols"), "every Accept is limited to ports: " + rule);
            }
        }
    }

    @Test
    void theCiliumPolicyUsesDenyRulesAndReachesTheApiServerByEntity() {
        GenericKubernetesResource policy = (GenericKubernetesResource) only("quarantine-cilium", "ciliumclusterwidenetworkpolicy.yaml");
        assertEquals(Map.of("picket.dev/quarantined", "true"), policy.get("spec", "endpointSelector", "matchLabels"));
        List<Map<String, Object>> ingress = policy.get("spec", "ingress");
        assertEquals(1, ingress.size());
        assertEquals("[{ports=[{port=8789, protocol=TCP}]}]", ingress.get(0).get("toPorts").toString());
        List<?> ingressDeny = policy.get("spec", "ingressDeny");
        List<?> egressDeny = policy.get("spec", "egressDeny");
        assertTrue(!ingressDeny.isEmpty() && !egressDeny.isEmpty(), "deny rules, which allow rules cannot override");
        assertTrue(policy.get("spec", "egress").toString().contains("toEntities=[kube-apiserver]"));
        // Deny rules on the namespace label must require it, or they would match reserved identities
        // (host, kube-apiserver) that have no namespace.
        for (Object rule : List.of(ingressDeny, egressDeny)) {
            String text = rule.toString();
            assertTrue(!text.contains("NotIn") || text.contains("operator=Exists"), "NotIn without Exists: " + text);
        }
    }

    @Test
    void theCalicoPolicyComesBeforeNetworkPoliciesAndEndsInDenyBothWays() {
        GenericKubernetesResource policy = (GenericKubernetesResource) only("quarantine-calico", "globalnetworkpolicy.yaml");
        assertTrue(((String) policy.get("spec", "selector")).startsWith("picket.dev/quarantined == 'true'"));
        assertEquals(List.of("Ingress", "Egress"), policy.get("spec", "types"));
        assertTrue(((Number) policy.get("spec", "order")).doubleValue() < 1000,
                "Kubernetes NetworkPolicies are order 1000 in Calico; this must come first");
        for (String direction : List.of("ingress", "egress")) {
            List<Map<String, Object>> rules = policy.get("spec", direction);
            assertEquals(Map.of("action", "Deny"), rules.get(rules.size() - 1), direction + " must end in an unconditional Deny");
            for (Map<String, Object> rule : rules.subList(0, rules.size() - 1)) {
                assertEquals("Allow", rule.get("action"));
                assertTrue(rule.containsKey("source") || rule.containsKey("destination"), "an Allow must be narrowed: " + rule);
            }
        }
    }
}
