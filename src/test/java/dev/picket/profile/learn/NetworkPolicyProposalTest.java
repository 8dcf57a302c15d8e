package dev.picket.profile.learn;

import dev.picket.profile.EgressRuleSpec;
import dev.picket.profile.ListenRuleSpec;
import dev.picket.profile.NetworkSpec;
import dev.picket.profile.Protocol;
import dev.picket.profile.WorkloadProfileSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The NetworkPolicy proposed from a learned profile: content, order, selection, and validity. */
class NetworkPolicyProposalTest {

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static WorkloadProfileSpec learned(List<EgressRuleSpec> egress, List<ListenRuleSpec> listen) {
        WorkloadProfileSpec spec = new WorkloadProfileSpec();
        spec.setNetwork(new NetworkSpec(egress, listen));
        return spec;
    }

    private static final WorkloadProfileSpec LEARNED = learned(List.of(
            new EgressRuleSpec("10.20.0.7/32", List.of(5432), Protocol.TCP),
            new EgressRuleSpec("2001:db8::10/128", List.of(443), Protocol.TCP),
            new EgressRuleSpec("10.20.0.5/32", List.of(5432), Protocol.TCP),
            new EgressRuleSpec("192.0.2.9/32", List.of(514), Protocol.UDP),
            new EgressRuleSpec("198.51.100.0/24", List.of(443, 80), Protocol.ANY),
            new EgressRuleSpec("203.0.113.1/32", null, Protocol.TCP),
            new EgressRuleSpec("203.0.113.2/32", null, null)),
            List.of(new ListenRuleSpec(8080, Protocol.TCP), new ListenRuleSpec(5353, Protocol.UDP),
                    new ListenRuleSpec(8080, Protocol.TCP)));

    private static NetworkPolicyProposal.Inputs inputs(WorkloadProfileSpec spec) {
        return new NetworkPolicyProposal.Inputs("shop-web", Optional.of("shop"), "what pod shop/web-1 learned", spec,
                NetworkPolicyProposal.selection(Optional.empty(), "file /etc/picket/profile.yaml",
                        Optional.of(Map.of("app", "shop-web", "pod-template-hash", "7d9f", "tier", "web"))),
                List.of(ip("10.96.0.10"), ip("169.254.20.10")),
                Optional.of(new NetworkPolicyProposal.ApiServer(ip("10.96.0.1"), 443)), List.of(8788, 8789));
    }

    private static List<String> ports(List<NetworkPolicyPort> ports) {
        return ports.stream().map(p -> p.getProtocol() + (p.getPort() == null ? "" : "/" + p.getPort().getIntVal())).toList();
    }

    private static List<String> peers(NetworkPolicyEgressRule rule) {
        return rule.getTo().stream().map(p -> p.getIpBlock() != null ? p.getIpBlock().getCidr()
                : "ns" + p.getNamespaceSelector().getMatchLabels() + " pods" + p.getPodSelector().getMatchLabels()).toList();
    }

    @Test
    void egressIsDnsTheLearnedDestinationsByPortsAndTheApiServer() {
        NetworkPolicy np = NetworkPolicyProposal.build(inputs(LEARNED));
        List<NetworkPolicyEgressRule> egress = np.getSpec().getEgress();
        assertThat(egress).hasSize(8);
        assertThat(peers(egress.get(0))).containsExactly("ns{kubernetes.io/metadata.name=kube-system} pods{k8s-app=kube-dns}",
                "10.96.0.10/32", "169.254.20.10/32");
        assertThat(ports(egress.get(0).getPorts())).containsExactly("UDP/53", "TCP/53");
        // one rule per set of ports, destinations in address order, IPv4 before IPv6
        assertThat(peers(egress.get(1))).containsExactly("10.20.0.5/32", "10.20.0.7/32");
        assertThat(ports(egress.get(1).getPorts())).containsExactly("TCP/5432");
        assertThat(peers(egress.get(2))).containsExactly("192.0.2.9/32");
        assertThat(ports(egress.get(2).getPorts())).containsExactly("UDP/514");
        assertThat(peers(egress.get(3))).containsExactly("198.51.100.0/24");
        assertThat(ports(egress.get(3).getPorts())).as("any is TCP and UDP").containsExactly("TCP/80", "UDP/80",
                "TCP/443", "UDP/443");
        assertThat(peers(egress.get(4))).containsExactly("203.0.113.1/32");
        assertThat(ports(egress.get(4).getPorts())).as("every TCP port").containsExactly("TCP");
        assertThat(peers(egress.get(5))).containsExactly("203.0.113.2/32");
        assertThat(egress.get(5).getPorts()).as("any protocol, any port: no restriction").isEmpty();
        assertThat(peers(egress.get(6))).containsExactly("2001:db8::10/128");
        assertThat(ports(egress.get(6).getPorts())).containsExactly("TCP/443");
        assertThat(peers(egress.get(7))).as("the sidecar's own rule, last").containsExactly("10.96.0.1/32");
        assertThat(ports(egress.get(7).getPorts())).containsExactly("TCP/443");
    }

    @Test
    void ingressIsTheLearnedListenPortsAndTheSidecarsOwn() {
        NetworkPolicy np = NetworkPolicyProposal.build(inputs(LEARNED));
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(np.getSpec().getIngress()).hasSize(2);
        assertThat(np.getSpec().getIngress().get(0).getFrom()).as("from anywhere: the sources were not learned").isEmpty();
        assertThat(ports(np.getSpec().getIngress().get(0).getPorts())).containsExactly("UDP/5353", "TCP/8080");
        assertThat(ports(np.getSpec().getIngress().get(1).getPorts())).containsExactly("TCP/8788", "TCP/8789");
    }

    @Test
    void theSameLearningInAnyOrderGivesTheSameBytes() {
        List<EgressRuleSpec> shuffled = new ArrayList<>(LEARNED.getNetwork().getEgress());
        Collections.shuffle(shuffled, new java.util.Random(4));
        List<ListenRuleSpec> listen = new ArrayList<>(LEARNED.getNetwork().getListen());
        Collections.reverse(listen);
        assertThat(NetworkPolicyProposal.yaml(inputs(learned(shuffled, listen))))
                .isEqualTo(NetworkPolicyProposal.yaml(inputs(LEARNED)));
    }

    @Test
    void podsAreSelectedByTheProfileSelectorElseByTheirLabelsElseByAPlaceholder() {
        var fromProfile = NetworkPolicyProposal.selection(Optional.of(new LabelSelectorBuilder()
                .withMatchLabels(Map.of("app", "shop")).addNewMatchExpression().withKey("tier").withOperator("In")
                .withValues("web", "api").endMatchExpression().build()), "WorkloadProfile shop/web",
                Optional.of(Map.of("app", "other")));
        assertThat(fromProfile.selector().getMatchLabels()).isEqualTo(Map.of("app", "shop"));
        assertThat(fromProfile.selector().getMatchExpressions().getFirst().getValues()).containsExactly("api", "web");
        assertThat(fromProfile.how()).isEqualTo("spec.selector of WorkloadProfile shop/web");

        var fromPod = NetworkPolicyProposal.selection(Optional.of(new LabelSelectorBuilder().build()), "WorkloadProfile shop/all",
                Optional.of(Map.of("app", "shop", "pod-template-hash", "7d9f", "picket.dev/quarantined", "true",
                        "controller-revision-hash", "x", "statefulset.kubernetes.io/pod-name", "db-0")));
        assertThat(fromPod.selector().getMatchLabels()).as("{} would select the whole namespace").isEqualTo(Map.of("app", "shop"));
        assertThat(fromPod.how()).isEqualTo("the pod's labels, without the pod-specific controller-revision-hash, "
                + "picket.dev/quarantined, pod-template-hash, statefulset.kubernetes.io/pod-name");

        var placeholder = NetworkPolicyProposal.selection(Optional.empty(), "embedded default", Optional.empty());
        assertThat(placeholder.selector().getMatchLabels())
                .isEqualTo(Map.of(NetworkPolicyProposal.PLACEHOLDER_LABEL, "true"));
        assertThat(NetworkPolicyProposal.selection(Optional.empty(), "x", Optional.of(Map.of("pod-template-hash", "1")))
                .selector().getMatchLabels()).containsKey(NetworkPolicyProposal.PLACEHOLDER_LABEL);
    }

    @Test
    void nothingLearnedIsDnsOnlyAndNoIngressButTheSidecars() {
        var in = new NetworkPolicyProposal.Inputs("learned", Optional.empty(), "what this sidecar learned",
                new WorkloadProfileSpec(), NetworkPolicyProposal.selection(Optional.empty(), "embedded default",
                        Optional.empty()), List.of(), Optional.empty(), List.of());
        NetworkPolicy np = NetworkPolicyProposal.build(in);
        assertThat(np.getMetadata().getName()).isEqualTo("picket-learned");
        assertThat(np.getMetadata().getNamespace()).isNull();
        assertThat(np.getSpec().getEgress()).hasSize(1);
        assertThat(np.getSpec().getIngress()).as("no listen port learned: all ingress denied").isEmpty();
        StrictNetworkPolicy.read(NetworkPolicyProposal.yaml(in));
    }

    @Test
    void theYamlIsAStrictlyValidNetworkPolicyThatKubectlAccepts() {
        String yaml = NetworkPolicyProposal.yaml(inputs(LEARNED));
        assertThat(yaml).startsWith("# NetworkPolicy proposed by Picket from what pod shop/web-1 learned.\n");
        NetworkPolicy back = StrictNetworkPolicy.read(yaml);
        assertThat(back).isEqualTo(NetworkPolicyProposal.build(inputs(LEARNED)));
        assertThat(back.getMetadata().getName()).isEqualTo("picket-shop-web");
        assertThat(back.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(back.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of("app", "shop-web", "tier", "web"));
        assertThatThrownBy(() -> StrictNetworkPolicy.read(yaml.replace("policyTypes", "policyType")))
                .hasMessageContaining("policyType");
        String applied = KubectlDryRun.apply(yaml);
        assertThat(applied).contains("kind: NetworkPolicy").contains("name: picket-shop-web").contains("namespace: shop");
    }

    @Test
    void namesAreValidObjectNames() {
        assertThat(NetworkPolicyProposal.name("Shop_Web.v2")).isEqualTo("picket-shop-web.v2");
        assertThat(NetworkPolicyProposal.name("a".repeat(300))).hasSize(253);
    }
}
