package dev.picket.injector.install;

import static dev.picket.injector.install.Shape.bool;
import static dev.picket.injector.install.Shape.integer;
import static dev.picket.injector.install.Shape.list;
import static dev.picket.injector.install.Shape.matching;
import static dev.picket.injector.install.Shape.number;
import static dev.picket.injector.install.Shape.object;
import static dev.picket.injector.install.Shape.oneOf;
import static dev.picket.injector.install.Shape.string;
import static dev.picket.injector.install.Shape.stringMap;

import java.util.Map;

/**
 * The structure of every custom-resource kind in manifests/, written from the upstream API types: the
 * test knows each kind it accepts, and a kind it does not know is a failure, never a pass.
 *
 * <ul>
 * <li>cert-manager.io/v1 Issuer, Certificate (cert-manager v1.x API reference);</li>
 * <li>policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy, as in kubernetes-sigs/network-policy-api's
 * apis/v1alpha2 types with {@code protocols[].tcp|udp.destinationPort} (earlier v1alpha2 bundles up to
 * v0.1.7 named that field {@code ports} and later {@code match}; the CRD in the cluster decides);</li>
 * <li>cilium.io/v2 CiliumClusterwideNetworkPolicy (the subset of rule fields Picket uses);</li>
 * <li>projectcalico.org/v3 GlobalNetworkPolicy (the subset of rule fields Picket uses);</li>
 * <li>monitoring.coreos.com/v1 PodMonitor and PrometheusRule (prometheus-operator's API reference; the
 * endpoint and group fields a Picket manifest may use);</li>
 * <li>picket.dev/v1alpha1 WorkloadProfile: not written here but read from the project's own CRD in
 * manifests/crd/ ({@link CrdSchema}: structural schema, defaults and CEL rules, as the API server checks it).</li>
 * </ul>
 */
final class CustomResourceShapes {

    private CustomResourceShapes() {
    }

    static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String GO_DURATION = "([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+";
    static final String CIDR = "[0-9a-fA-F:.]+/[0-9]{1,3}";

    static final Shape LABEL_SELECTOR = object()
            .field("matchLabels", stringMap())
            .field("matchExpressions", list(object()
                    .required("key", string())
                    .required("operator", oneOf("In", "NotIn", "Exists", "DoesNotExist"))
                    .field("values", list(string()))));

    static Shape metadata(boolean namespaced) {
        Shape.Obj meta = object()
                .required("name", matching(DNS_LABEL + "(\\." + DNS_LABEL + ")*"))
                .field("labels", stringMap())
                .field("annotations", stringMap());
        return namespaced ? meta.required("namespace", matching(DNS_LABEL)) : meta;
    }

    static Shape resource(boolean namespaced, Shape spec) {
        return object()
                .required("apiVersion", string())
                .required("kind", string())
                .required("metadata", metadata(namespaced))
                .required("spec", spec);
    }

    // cert-manager.io/v1
    static final Shape ISSUER = resource(true, object()
            .field("selfSigned", object().field("crlDistributionPoints", list(string())))
            .field("ca", object().required("secretName", string()))
            .exactlyOne());

    static final Shape CERTIFICATE = resource(true, object()
            .required("secretName", matching(DNS_LABEL))
            .required("issuerRef", object()
                    .required("name", string())
                    .field("kind", oneOf("Issuer", "ClusterIssuer"))
                    .field("group", oneOf("cert-manager.io")))
            .field("isCA", bool())
            .field("commonName", string())
            .field("dnsNames", list(string(), 1))
            .field("duration", matching(GO_DURATION))
            .field("renewBefore", matching(GO_DURATION))
            .field("privateKey", object()
                    .field("algorithm", oneOf("RSA", "ECDSA", "Ed25519"))
                    .field("size", integer(256, 8192))
                    .field("encoding", oneOf("PKCS1", "PKCS8"))
                    .field("rotationPolicy", oneOf("Never", "Always")))
            .field("usages", list(oneOf("signing", "digital signature", "content commitment", "key encipherment",
                    "key agreement", "data encipherment", "cert sign", "crl sign", "server auth", "client auth"))));

    // policy.networking.k8s.io/v1alpha2
    private static final Shape CNP_NAMESPACED_POD = object()
            .required("namespaceSelector", LABEL_SELECTOR)
            .required("podSelector", LABEL_SELECTOR);
    private static final Shape CNP_PORT = object()
            .field("number", integer(1, 65535))
            .field("range", object().required("start", integer(1, 65535)).required("end", integer(1, 65535)))
            .exactlyOne();
    private static final Shape CNP_PROTOCOL = object()
            .field("tcp", object().field("destinationPort", CNP_PORT))
            .field("udp", object().field("destinationPort", CNP_PORT))
            .field("sctp", object().field("destinationPort", CNP_PORT))
            .field("destinationNamedPort", string())
            .exactlyOne();
    private static final Shape CNP_ACTION = oneOf("Accept", "Deny", "Pass");

    static final Shape CLUSTER_NETWORK_POLICY = resource(false, object()
            .required("tier", oneOf("Admin", "Baseline"))
            .required("priority", integer(0, 1000))
            .required("subject", object()
                    .field("namespaces", LABEL_SELECTOR)
                    .field("pods", CNP_NAMESPACED_POD)
                    .exactlyOne())
            .field("ingress", list(object()
                    .field("name", string())
                    .required("action", CNP_ACTION)
                    .required("from", list(object()
                            .field("namespaces", LABEL_SELECTOR)
                            .field("pods", CNP_NAMESPACED_POD)
                            .exactlyOne(), 1))
                    .field("protocols", list(CNP_PROTOCOL, 1))))
            .field("egress", list(object()
                    .field("name", string())
                    .required("action", CNP_ACTION)
                    .required("to", list(object()
                            .field("namespaces", LABEL_SELECTOR)
                            .field("pods", CNP_NAMESPACED_POD)
                            .field("nodes", LABEL_SELECTOR)
                            .field("networks", list(matching(CIDR), 1))
                            .field("domainNames", list(string(), 1))
                            .exactlyOne(), 1))
                    .field("protocols", list(CNP_PROTOCOL, 1)))));

    // cilium.io/v2
    private static final Shape CILIUM_ENTITY = oneOf("all", "world", "cluster", "host", "remote-node",
            "kube-apiserver", "ingress", "init", "health", "unmanaged");
    private static final Shape CILIUM_PORTS = list(object()
            .required("ports", list(object()
                    .required("port", matching("[0-9]{1,5}"))
                    .field("protocol", oneOf("TCP", "UDP", "SCTP", "ANY")), 1)), 1);
    private static final Shape CILIUM_INGRESS = object()
            .field("fromEndpoints", list(LABEL_SELECTOR, 1))
            .field("fromEntities", list(CILIUM_ENTITY, 1))
            .field("fromCIDR", list(matching(CIDR), 1))
            .field("toPorts", CILIUM_PORTS);
    private static final Shape CILIUM_EGRESS = object()
            .field("toEndpoints", list(LABEL_SELECTOR, 1))
            .field("toEntities", list(CILIUM_ENTITY, 1))
            .field("toCIDR", list(matching(CIDR), 1))
            .field("toPorts", CILIUM_PORTS);

    static final Shape CILIUM_CLUSTERWIDE_NETWORK_POLICY = resource(false, object()
            .field("description", string())
            .required("endpointSelector", LABEL_SELECTOR)
            .field("ingress", list(CILIUM_INGRESS))
            .field("ingressDeny", list(CILIUM_INGRESS))
            .field("egress", list(CILIUM_EGRESS))
            .field("egressDeny", list(CILIUM_EGRESS)));

    // projectcalico.org/v3
    private static final Shape CALICO_ENTITY = object()
            .field("selector", string())
            .field("namespaceSelector", string())
            .field("nets", list(matching(CIDR), 1))
            .field("ports", list(integer(1, 65535), 1))
            .field("services", object().required("name", string()).required("namespace", string()));
    private static final Shape CALICO_RULE = object()
            .required("action", oneOf("Allow", "Deny", "Log", "Pass"))
            .field("protocol", oneOf("TCP", "UDP", "ICMP", "ICMPv6", "SCTP", "UDPLite"))
            .field("source", CALICO_ENTITY)
            .field("destination", CALICO_ENTITY);

    static final Shape CALICO_GLOBAL_NETWORK_POLICY = resource(false, object()
            .field("order", number(-1))
            .required("selector", string())
            .required("types", list(oneOf("Ingress", "Egress"), 1))
            .field("ingress", list(CALICO_RULE))
            .field("egress", list(CALICO_RULE)));

    // monitoring.coreos.com/v1 (prometheus-operator), the fields of its API reference that a PodMonitor or
    // PrometheusRule of this project may use.
    static final String PROMETHEUS_DURATION = "(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)";
    static final String LABEL_NAME = "[a-zA-Z_][a-zA-Z0-9_]*";

    private static final Shape RELABEL_CONFIG = object()
            .field("sourceLabels", list(matching(LABEL_NAME), 1))
            .field("separator", string())
            .field("targetLabel", matching(LABEL_NAME))
            .field("regex", string())
            .field("modulus", integer(1, Integer.MAX_VALUE))
            .field("replacement", string())
            .field("action", oneOf("replace", "Replace", "keep", "Keep", "drop", "Drop", "hashmod", "HashMod",
                    "labelmap", "LabelMap", "labeldrop", "LabelDrop", "labelkeep", "LabelKeep", "lowercase", "Lowercase",
                    "uppercase", "Uppercase", "keepequal", "KeepEqual", "dropequal", "DropEqual"));

    static final Shape POD_MONITOR = resource(true, object()
            .field("jobLabel", string())
            .field("podTargetLabels", list(string()))
            .required("selector", LABEL_SELECTOR)
            .field("namespaceSelector", object().field("any", bool()).field("matchNames", list(matching(DNS_LABEL), 1)))
            .field("sampleLimit", integer(0, Integer.MAX_VALUE))
            .required("podMetricsEndpoints", list(object()
                    .field("port", matching(DNS_LABEL))
                    .field("portNumber", integer(1, 65535))
                    .field("path", matching("/.*"))
                    .field("scheme", oneOf("http", "https", "HTTP", "HTTPS"))
                    .field("interval", matching(PROMETHEUS_DURATION))
                    .field("scrapeTimeout", matching(PROMETHEUS_DURATION))
                    .field("honorLabels", bool())
                    .field("honorTimestamps", bool())
                    .field("relabelings", list(RELABEL_CONFIG))
                    .field("metricRelabelings", list(RELABEL_CONFIG)), 1)));

    static final Shape PROMETHEUS_RULE = resource(true, object()
            .required("groups", list(object()
                    .required("name", string())
                    .field("interval", matching(PROMETHEUS_DURATION))
                    .field("limit", integer(0, Integer.MAX_VALUE))
                    .field("labels", stringMap())
                    .required("rules", list(object()
                            .field("alert", matching("[A-Za-z][A-Za-z0-9_]*"))
                            .field("record", matching("[a-zA-Z_:][a-zA-Z0-9_:]*"))
                            .required("expr", string())
                            .field("for", matching(PROMETHEUS_DURATION))
                            .field("keep_firing_for", matching(PROMETHEUS_DURATION))
                            .field("labels", stringMap())
                            .field("annotations", stringMap()), 1)), 1)));

    // picket.dev/v1alpha1: the project's own CRD, checked in under manifests/crd/ and installed by the base.
    static final Shape WORKLOAD_PROFILE = CrdSchema.load(ManifestTree.ROOT.resolve("crd/workloadprofiles.picket.dev-v1.yml"),
            "v1alpha1");

    /** apiVersion + "/" + kind to its shape: every custom resource kind the manifests may contain. */
    static final Map<String, Shape> BY_KIND = Map.of(
            "cert-manager.io/v1/Issuer", ISSUER,
            "cert-manager.io/v1/Certificate", CERTIFICATE,
            "policy.networking.k8s.io/v1alpha2/ClusterNetworkPolicy", CLUSTER_NETWORK_POLICY,
            "cilium.io/v2/CiliumClusterwideNetworkPolicy", CILIUM_CLUSTERWIDE_NETWORK_POLICY,
            "projectcalico.org/v3/GlobalNetworkPolicy", CALICO_GLOBAL_NETWORK_POLICY,
            "monitoring.coreos.com/v1/PodMonitor", POD_MONITOR,
            "monitoring.coreos.com/v1/PrometheusRule", PROMETHEUS_RULE,
            "picket.dev/v1alpha1/WorkloadProfile", WORKLOAD_PROFILE);
}
