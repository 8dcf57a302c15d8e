package dev.picket.profile.learn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.picket.profile.EgressRuleSpec;
import dev.picket.profile.ListenRuleSpec;
import dev.picket.profile.NetworkSpec;
import dev.picket.profile.ProfileRenderer;
import dev.picket.profile.Protocol;
import dev.picket.profile.WorkloadProfileSpec;
import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Kubernetes {@code networking.k8s.io/v1} NetworkPolicy proposed from a learned profile: egress to the learned
 * destinations and ports, DNS to the cluster resolver, ingress to the learned listen ports, the sidecar's own needs,
 * selecting the workload's pods. Pure: the learned spec and what is known of the pod in, a policy out, in one
 * stable order (the same learning always gives the same bytes). A proposal to review, never applied by Picket.
 */
public final class NetworkPolicyProposal {

    /** Labels Kubernetes sets per pod or per revision; selecting by them would select one pod, or one rollout. */
    public static final Set<String> POD_SPECIFIC_LABELS = Set.of("pod-template-hash", "controller-revision-hash",
            "pod-template-generation", "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index",
            "controller-uid", "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-completion-index",
            "job-completion-index", "picket.dev/quarantined");

    /** What selects the pods when nothing better is known: a label no pod carries, to be replaced. */
    public static final String PLACEHOLDER_LABEL = "picket.dev/replace-with-the-workload-labels";

    private static final int DNS = 53;
    private static final Pattern NAME_CHARS = Pattern.compile("[^a-z0-9.-]");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    /** Which pods the policy selects, and a sentence on how that was decided. */
    public record Selection(LabelSelector selector, String how) {
    }

    /** The Kubernetes API server the sidecar talks to (a NetworkPolicy that selects the pod restricts the sidecar too). */
    public record ApiServer(InetAddress address, int port) {
    }

    /**
     * @param profileName  the workload's profile name; the policy is named {@code picket-<profileName>}
     * @param namespace    the pod's namespace when known
     * @param source       where the learning comes from, for the header ({@code this pod's learning}, ...)
     * @param learned      the learned spec (only {@code network} is read)
     * @param selection    the pods to select
     * @param resolvers    the DNS resolvers of the pod ({@code /etc/resolv.conf})
     * @param apiServer    the API server, when the sidecar talks to it
     * @param sidecarPorts the sidecar's own listening ports (control, management)
     */
    public record Inputs(String profileName, Optional<String> namespace, String source, WorkloadProfileSpec learned,
            Selection selection, List<InetAddress> resolvers, Optional<ApiServer> apiServer, List<Integer> sidecarPorts) {
        public Inputs {
            Objects.requireNonNull(profileName, "profileName");
            Objects.requireNonNull(learned, "learned");
            resolvers = List.copyOf(resolvers);
            sidecarPorts = List.copyOf(sidecarPorts);
        }
    }

    private NetworkPolicyProposal() {
    }

    /**
     * The pods to select: the profile's {@code spec.selector} when it selects by something ({@code {}} would select
     * the whole namespace), else the pod's own labels without the pod-specific ones, else a placeholder.
     */
    public static Selection selection(Optional<LabelSelector> profileSelector, String profileSource,
            Optional<Map<String, String>> podLabels) {
        if (profileSelector.isPresent() && selects(profileSelector.get())) {
            LabelSelector copy = ProfileRenderer.canonicalSelector(profileSelector.get());
            return new Selection(copy, "spec.selector of " + profileSource);
        }
        if (podLabels.isPresent()) {
            Map<String, String> labels = new TreeMap<>(podLabels.get());
            TreeSet<String> dropped = new TreeSet<>(labels.keySet());
            labels.keySet().removeAll(POD_SPECIFIC_LABELS);
            dropped.removeAll(labels.keySet());
            if (!labels.isEmpty()) {
                return new Selection(new LabelSelectorBuilder().withMatchLabels(labels).build(), "the pod's labels"
                        + (dropped.isEmpty() ? "" : ", without the pod-specific " + String.join(", ", dropped)));
            }
        }
        return new Selection(new LabelSelectorBuilder().withMatchLabels(Map.of(PLACEHOLDER_LABEL, "true")).build(),
                "a placeholder: neither a profile selector nor the pod's labels are known; replace it with the labels"
                        + " of the workload's pods");
    }

    private static boolean selects(LabelSelector s) {
        return s.getMatchLabels() != null && !s.getMatchLabels().isEmpty()
                || s.getMatchExpressions() != null && !s.getMatchExpressions().isEmpty();
    }

    public static NetworkPolicy build(Inputs in) {
        NetworkSpec network = in.learned().getNetwork() == null ? new NetworkSpec() : in.learned().getNetwork();
        // The canonical form: lists sorted and de-duplicated, so the output is stable.
        WorkloadProfileSpec only = new WorkloadProfileSpec();
        only.setNetwork(network);
        NetworkSpec canonical = Optional.ofNullable(ProfileRenderer.canonical(only).getNetwork()).orElse(new NetworkSpec());

        List<NetworkPolicyEgressRule> egress = new ArrayList<>();
        egress.add(dns(in.resolvers()));
        egress.addAll(learnedEgress(canonical.getEgress()));
        in.apiServer().ifPresent(api -> egress.add(new NetworkPolicyEgressRuleBuilder()
                .withTo(ipBlock(api.address()))
                .withPorts(port(Protocol.TCP, api.port()))
                .build()));

        List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
        List<NetworkPolicyPort> listen = new ArrayList<>();
        for (ListenRuleSpec l : Optional.ofNullable(canonical.getListen()).orElse(List.of())) {
            listen.addAll(ports(l.getProtocol(), List.of(l.getPort())));
        }
        if (!listen.isEmpty()) {
            ingress.add(new NetworkPolicyIngressRuleBuilder().withPorts(sorted(listen)).build());
        }
        if (!in.sidecarPorts().isEmpty()) {
            ingress.add(new NetworkPolicyIngressRuleBuilder().withPorts(sorted(in.sidecarPorts().stream()
                    .map(p -> port(Protocol.TCP, p)).toList())).build());
        }

        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("picket.dev/proposed-from", in.source());
        annotations.put("picket.dev/pod-selection", in.selection().how());
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(name(in.profileName()))
                .withNamespace(in.namespace().orElse(null))
                .withLabels(Map.of("app.kubernetes.io/created-by", "picket"))
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withPodSelector(in.selection().selector())
                .withPolicyTypes("Ingress", "Egress")
                .withIngress(ingress)
                .withEgress(egress)
                .endSpec()
                .build();
    }

    /** The policy as YAML, after a comment that says what it is and what to review. */
    public static String yaml(Inputs in) {
        NetworkPolicy policy = build(in);
        JsonNode tree = SERIALIZATION.convertValue(policy, JsonNode.class);
        StringBuilder out = new StringBuilder();
        out.append("# NetworkPolicy proposed by Picket from ").append(oneLine(in.source())).append(".\n")
                .append("# Review it before applying: it allows what the workload did while learning, plus DNS to the\n")
                .append("# cluster resolver")
                .append(in.apiServer().isPresent() ? ", the sidecar's connection to the API server" : "")
                .append(in.sidecarPorts().isEmpty() ? "" : " and the sidecar's own ports " + in.sidecarPorts())
                .append(".\n")
                .append("# Pods: ").append(oneLine(in.selection().how())).append(".\n")
                .append("# Destinations inside the cluster (Service ClusterIPs, pod IPs) are written as ipBlocks here;\n")
                .append("# most network plugins match pods by podSelector/namespaceSelector instead: see docs/networkpolicy.md.\n");
        try {
            out.append(YAML.writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** UDP and TCP 53 to the cluster DNS pods (kube-dns in kube-system) and to the resolvers the pod uses. */
    private static NetworkPolicyEgressRule dns(List<InetAddress> resolvers) {
        List<NetworkPolicyPeer> to = new ArrayList<>();
        to.add(new NetworkPolicyPeerBuilder()
                .withNewNamespaceSelector().withMatchLabels(Map.of("kubernetes.io/metadata.name", "kube-system"))
                .endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(Map.of("k8s-app", "kube-dns")).endPodSelector()
                .build());
        resolvers.stream().map(NetworkPolicyProposal::cidr).distinct().sorted(NetworkPolicyProposal::compareCidr)
                .forEach(c -> to.add(new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(c).endIpBlock().build()));
        return new NetworkPolicyEgressRuleBuilder()
                .withTo(to)
                .withPorts(port(Protocol.UDP, DNS), port(Protocol.TCP, DNS))
                .build();
    }

    /** One rule per distinct set of ports, with every destination that used exactly those ports, in address order. */
    private static List<NetworkPolicyEgressRule> learnedEgress(List<EgressRuleSpec> rules) {
        Map<List<NetworkPolicyPort>, List<String>> byPorts = new LinkedHashMap<>();
        for (EgressRuleSpec r : Optional.ofNullable(rules).orElse(List.of())) {
            List<NetworkPolicyPort> ports = sorted(ports(r.getProtocol(), r.getPorts()));
            byPorts.computeIfAbsent(ports, k -> new ArrayList<>()).add(canonicalCidr(r.getCidr()));
        }
        List<NetworkPolicyEgressRule> out = new ArrayList<>();
        byPorts.forEach((ports, cidrs) -> out.add(new NetworkPolicyEgressRuleBuilder()
                .withTo(cidrs.stream().distinct().sorted(NetworkPolicyProposal::compareCidr)
                        .map(c -> new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(c).endIpBlock().build())
                        .toList())
                .withPorts(ports)
                .build()));
        return out;
    }

    /**
     * The NetworkPolicy ports of a profile rule: {@code any} is TCP and UDP; no ports is every port of the protocol
     * (a port entry with the protocol only), or, for {@code any}, no port restriction at all.
     */
    private static List<NetworkPolicyPort> ports(Protocol protocol, List<Integer> ports) {
        Protocol p = protocol == null ? Protocol.ANY : protocol;
        List<Protocol> protocols = p == Protocol.ANY ? List.of(Protocol.TCP, Protocol.UDP) : List.of(p);
        List<NetworkPolicyPort> out = new ArrayList<>();
        if (ports == null || ports.isEmpty()) {
            if (p != Protocol.ANY) {
                out.add(new NetworkPolicyPortBuilder().withProtocol(p.name()).build());
            }
            return out;
        }
        for (Protocol each : protocols) {
            for (Integer port : ports) {
                out.add(port(each, port));
            }
        }
        return out;
    }

    private static NetworkPolicyPort port(Protocol protocol, int port) {
        return new NetworkPolicyPortBuilder().withProtocol(protocol.name().toUpperCase(Locale.ROOT))
                .withPort(new IntOrString(port)).build();
    }

    /** By port, then TCP before UDP; a protocol-only entry first. */
    private static List<NetworkPolicyPort> sorted(List<NetworkPolicyPort> ports) {
        List<NetworkPolicyPort> out = new ArrayList<>(new java.util.LinkedHashSet<>(ports));
        out.sort(Comparator.comparing((NetworkPolicyPort p) -> p.getPort() == null ? -1 : p.getPort().getIntVal())
                .thenComparing(NetworkPolicyPort::getProtocol));
        return out;
    }

    private static NetworkPolicyPeer ipBlock(InetAddress address) {
        return new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr(address)).endIpBlock().build();
    }

    private static String cidr(InetAddress a) {
        String host = new IPAddressString(a.getHostAddress().replaceAll("%.*$", "")).getAddress().toCompressedString();
        return host + (a.getAddress().length == 4 ? "/32" : "/128");
    }

    /** {@code fd00:1:0:0:0:0:0:3/128} as {@code fd00:1::3/128}: the form people read and write. */
    private static String canonicalCidr(String cidr) {
        var address = new IPAddressString(cidr).getAddress();
        return address == null ? cidr : address.toCanonicalString();
    }

    private static int compareCidr(String a, String b) {
        var x = new IPAddressString(a).getAddress();
        var y = new IPAddressString(b).getAddress();
        if (x == null || y == null) {
            return a.compareTo(b);
        }
        int c = Boolean.compare(!x.isIPv4(), !y.isIPv4());
        if (c == 0) {
            c = x.getValue().compareTo(y.getValue());
        }
        return c != 0 ? c : a.compareTo(b);
    }

    /** {@code picket-<name>}, kept a valid object name. */
    static String name(String profileName) {
        String name = "picket-" + NAME_CHARS.matcher(profileName.toLowerCase(Locale.ROOT)).replaceAll("-");
        name = name.length() > 253 ? name.substring(0, 253) : name;
        return name.replaceAll("[-.]+$", "");
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }
}
