package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The catalogue of built-in threat rules. They apply with or without a profile, in every mode, and are never
 * learned as normal. A profile turns one off by id in {@code spec.threats.disable}, or excepts what it finds
 * narrowly in {@code spec.threats.exceptions} (see {@link ThreatExceptions}). The judge implements the
 * detections; this catalogue gives each a stable id, a severity, its MITRE ATT&amp;CK technique and the fields an
 * exception can narrow it by. The reasons for each technique are in {@code docs/profiles.md}.
 */
@RegisterForReflection
public enum ThreatRule {

    EXEC_FROM_WRITABLE_DIR("exec-from-writable-dir", Severity.HIGH, "T1105", "Ingress Tool Transfer",
            "a process executes a file from a writable scratch directory (/tmp, /dev/shm, /var/tmp, /run and similar)"),
    FILELESS_EXEC("fileless-exec", Severity.CRITICAL, "T1620", "Reflective Code Loading",
            "a process runs from a memfd or from an executable that was deleted after it started"),
    REVERSE_SHELL("reverse-shell", Severity.CRITICAL, "T1059.004", "Command and Scripting Interpreter: Unix Shell",
            "a shell or interpreter whose stdin or stdout is a network socket"),
    MINING_POOL("mining-pool", Severity.HIGH, "T1496", "Resource Hijacking",
            "stratum in a process's arguments, or a connection to a well-known mining-pool port"),
    CLOUD_METADATA("cloud-metadata", Severity.HIGH, "T1552.005", "Unsecured Credentials: Cloud Instance Metadata API",
            "a connection to a cloud metadata address (169.254.169.254, fd00:ec2::254 and the other clouds')"),
    KUBE_API_CONTACT("kube-api-contact", Severity.MEDIUM, "T1613", "Container and Resource Discovery",
            "the workload talks to the Kubernetes API server (KUBERNETES_SERVICE_HOST/PORT)"),
    PACKET_SOCKET("packet-socket", Severity.HIGH, "T1040", "Network Sniffing",
            "a process holds a raw or packet socket"),
    NAMESPACE_CHANGE("namespace-change", Severity.HIGH, "T1611", "Escape to Host",
            "a process in a user, network or mount namespace of its own"),
    PTRACE_ATTACHED("ptrace-attached", Severity.HIGH, "T1055.008", "Process Injection: Ptrace System Calls",
            "a process is traced by anyone but Picket"),
    PRELOAD_INJECTION("preload-injection", Severity.HIGH, "T1574.006", "Hijack Execution Flow: Dynamic Linker Hijacking",
            "a process started with LD_PRELOAD or GLIBC_TUNABLES in its environment"),
    PRIVILEGE_CHANGE("privilege-change", Severity.CRITICAL, "T1548", "Abuse Elevation Control Mechanism",
            "a process turns root, or changes its uid, during its life"),
    RUNTIME_SOCKET("runtime-socket", Severity.CRITICAL, "T1609", "Container Administration Command",
            "a connection to a container runtime's unix socket (containerd, CRI-O, Docker)"),
    FORK_BURST("fork-burst", Severity.MEDIUM, "T1499", "Endpoint Denial of Service",
            "a fork rate far above the profile's forksPerMinute or the learned baseline (processes too short-lived to be seen)");

    /** Exception fields that match the process a finding names: its executable and its parent's. */
    private static final List<String> PROCESS_FIELDS = List.of("exe", "parent");
    /** ... and the remote address and port of the connection it is about. */
    private static final List<String> PROCESS_AND_REMOTE_FIELDS = List.of("exe", "parent", "cidr", "ports");

    private static final Map<String, ThreatRule> BY_ID =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(ThreatRule::id, Function.identity()));

    private final String id;
    private final Severity severity;
    private final String techniqueId;
    private final String techniqueName;
    private final String trigger;

    ThreatRule(String id, Severity severity, String techniqueId, String techniqueName, String trigger) {
        this.id = id;
        this.severity = severity;
        this.techniqueId = techniqueId;
        this.techniqueName = techniqueName;
        this.trigger = trigger;
    }

    /** The stable id used in profiles, violations and metric labels, e.g. {@code reverse-shell}. */
    @JsonValue
    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    /** MITRE ATT&amp;CK technique id, e.g. {@code T1059.004}. */
    public String techniqueId() {
        return techniqueId;
    }

    public String techniqueName() {
        return techniqueName;
    }

    /** What makes the rule fire, as a sentence fragment a person understands. */
    public String trigger() {
        return trigger;
    }

    /**
     * The fields of a {@code spec.threats.exceptions} entry that can narrow an exception of this rule: {@code exe}
     * and {@code parent} for every rule whose findings name a process, {@code cidr} and {@code ports} only for the
     * rules about a connection (reverse-shell's peer, mining-pool's port, the metadata service, the API server).
     * Empty for fork-burst, which names neither: it can only be disabled (or its threshold raised).
     */
    public List<String> exceptionFields() {
        return switch (this) {
            case REVERSE_SHELL, MINING_POOL, CLOUD_METADATA, KUBE_API_CONTACT -> PROCESS_AND_REMOTE_FIELDS;
            case FORK_BURST -> List.of();
            default -> PROCESS_FIELDS;
        };
    }

    public static Optional<ThreatRule> byId(String id) {
        return Optional.ofNullable(id == null ? null : BY_ID.get(id));
    }
}
