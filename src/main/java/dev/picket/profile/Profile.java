package dev.picket.profile;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.Quantity;

import java.net.InetAddress;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A validated profile compiled for the judge, which asks it about every process, socket and connection on
 * every scan: immutable, safe to share between threads, with globs, CIDR blocks and port sets prepared once.
 * Every default is already filled in, so what this says is what applies.
 *
 * @param name            {@code metadata.name}
 * @param source          where it came from: {@code file /etc/picket/profile.yaml}, {@code WorkloadProfile ns/name}
 *                        or {@code embedded default}
 * @param generation      counts successful profile changes in this process, starting at 1
 * @param mode            the mode in force (a mode override already applied, see {@link ActiveProfile})
 * @param learn           learn-mode settings
 * @param processes       the exec allowlist and {@code allowRoot}
 * @param network         egress and listen allowlists
 * @param resources       the ceilings
 * @param disabledThreats built-in threat rules the profile turned off
 * @param threatExceptions narrow exceptions to the threat rules that are on
 * @param actions         the action for every violation kind (all five present)
 * @param images          the image policy, which only the injector enforces (carried so the profile is whole)
 * @param podSecurity     the pod-security gate's mode, which only the injector uses
 */
public record Profile(String name, String source, long generation, Mode mode, Learn learn, ProcessRules processes,
        NetworkRules network, Ceilings resources, Set<ThreatRule> disabledThreats, ThreatExceptions threatExceptions,
        Map<ViolationKind, ActionType> actions, ImageRules images, PodSecurityMode podSecurity) {

    public Profile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(learn, "learn");
        Objects.requireNonNull(processes, "processes");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(threatExceptions, "threatExceptions");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(podSecurity, "podSecurity");
        EnumSet<ThreatRule> disabled = EnumSet.noneOf(ThreatRule.class);
        disabled.addAll(disabledThreats);
        disabledThreats = Collections.unmodifiableSet(disabled);
        EnumMap<ViolationKind, ActionType> all = new EnumMap<>(ViolationKind.class);
        all.putAll(actions);
        if (all.size() != ViolationKind.values().length || all.containsValue(null)) {
            throw new IllegalArgumentException("an action for every violation kind is required: " + actions);
        }
        actions = Collections.unmodifiableMap(all);
    }

    /** A profile without threat exceptions. */
    public Profile(String name, String source, long generation, Mode mode, Learn learn, ProcessRules processes,
            NetworkRules network, Ceilings resources, Set<ThreatRule> disabledThreats,
            Map<ViolationKind, ActionType> actions, ImageRules images, PodSecurityMode podSecurity) {
        this(name, source, generation, mode, learn, processes, network, resources, disabledThreats,
                ThreatExceptions.NONE, actions, images, podSecurity);
    }

    /** A profile without threat exceptions and admission rules (no image policy, pod-security gate {@code warn}): all the judge uses. */
    public Profile(String name, String source, long generation, Mode mode, Learn learn, ProcessRules processes,
            NetworkRules network, Ceilings resources, Set<ThreatRule> disabledThreats,
            Map<ViolationKind, ActionType> actions) {
        this(name, source, generation, mode, learn, processes, network, resources, disabledThreats,
                ThreatExceptions.NONE, actions, ImageRules.NONE, PodSecurityMode.WARN);
    }

    /** Whether {@code exe} (the resolved executable path) may run as a child of {@code parentExe} (null: unknown). */
    public boolean processAllowed(String exe, String parentExe) {
        return processes.allows(exe, parentExe);
    }

    /** Whether a neighbour process with effective uid 0 is tolerated ({@code processes.allowRoot}). */
    public boolean rootAllowed() {
        return processes.allowRoot();
    }

    /** See {@link NetworkRules#egressAllowed(IPAddress, int, Protocol)}. */
    public boolean egressAllowed(IPAddress ip, int port, Protocol protocol) {
        return network.egressAllowed(ip, port, protocol);
    }

    public boolean egressAllowed(InetAddress ip, int port, Protocol protocol) {
        return network.egressAllowed(ip, port, protocol);
    }

    /** See {@link NetworkRules#listenAllowed(int, Protocol)}. */
    public boolean listenAllowed(int port, Protocol protocol) {
        return network.listenAllowed(port, protocol);
    }

    /** The action for violations of {@code kind}: what the profile says, or {@code report}. */
    public ActionType action(ViolationKind kind) {
        return actions.get(kind);
    }

    /** Whether the built-in threat rule with this id is on; false for ids not in the catalogue. */
    public boolean threatEnabled(String id) {
        return ThreatRule.byId(id).map(this::threatEnabled).orElse(false);
    }

    public boolean threatEnabled(ThreatRule rule) {
        return rule != null && !disabledThreats.contains(rule);
    }

    /**
     * Whether a {@code spec.threats.exceptions} entry covers a finding of {@code rule}; see
     * {@link ThreatExceptions#excepts(ThreatRule, String, String, InetAddress, int)}. Cheap for a rule without
     * exceptions: one map lookup.
     */
    public boolean threatExcepted(ThreatRule rule, String exe, String parentExe, InetAddress remote, int port) {
        return threatExceptions.excepts(rule, exe, parentExe, remote, port);
    }

    /** As above, with the remote as a violation writes it ({@code 10.1.2.3:4444/tcp}; null: none). */
    public boolean threatExcepted(ThreatRule rule, String exe, String parentExe, String remoteSpec) {
        return threatExceptions.excepts(rule, exe, parentExe, remoteSpec);
    }

    /** The threat rules that apply, in catalogue order. */
    public Set<ThreatRule> enabledThreats() {
        EnumSet<ThreatRule> on = EnumSet.allOf(ThreatRule.class);
        on.removeAll(disabledThreats);
        return Collections.unmodifiableSet(on);
    }

    public Profile withMode(Mode newMode) {
        return newMode == mode ? this : new Profile(name, source, generation, newMode, learn, processes, network,
                resources, disabledThreats, threatExceptions, actions, images, podSecurity);
    }

    public Profile withGeneration(long newGeneration) {
        return new Profile(name, source, newGeneration, mode, learn, processes, network, resources, disabledThreats,
                threatExceptions, actions, images, podSecurity);
    }

    /**
     * The profile as a spec with every default written out (the effective profile), e.g. for
     * {@code GET /v1/profile} or {@link ProfileRenderer}. Compiling it again gives an equal profile.
     */
    public WorkloadProfileSpec toSpec() {
        WorkloadProfileSpec spec = new WorkloadProfileSpec();
        spec.setMode(mode);
        spec.setLearn(new LearnSpec(learn.duration().map(GoDuration::format).orElse(null), learn.then()));
        List<ProcessRuleSpec> allow = processes.rules().stream()
                .map(r -> new ProcessRuleSpec(r.exe().pattern(), r.parent().map(Glob::pattern).orElse(null)))
                .toList();
        spec.setProcesses(new ProcessesSpec(allow, processes.allowRoot()));
        List<EgressRuleSpec> egress = network.egress().stream()
                .map(r -> new EgressRuleSpec(r.block().toCanonicalString(), r.ports().isAny() ? null : r.ports().toList(),
                        r.protocol()))
                .toList();
        List<ListenRuleSpec> listen = network.listen().stream()
                .map(r -> new ListenRuleSpec(r.port(), r.protocol()))
                .toList();
        spec.setNetwork(new NetworkSpec(egress, listen));
        ResourcesSpec res = new ResourcesSpec();
        resources.cpuCores().ifPresent(res::setCpuCores);
        resources.memory().map(Quantity::new).ifPresent(res::setMemory);
        resources.processes().ifPresent(res::setProcesses);
        resources.threads().ifPresent(res::setThreads);
        resources.openFiles().ifPresent(res::setOpenFiles);
        resources.forksPerMinute().ifPresent(res::setForksPerMinute);
        res.setSustain(GoDuration.format(resources.sustain()));
        spec.setResources(res);
        spec.setThreats(new ThreatsSpec(disabledThreats.stream().map(ThreatRule::id).sorted().toList(),
                threatExceptions.isEmpty() ? null
                        : threatExceptions.entries().stream().map(ThreatException::toSpec).toList()));
        ActionsSpec act = new ActionsSpec();
        actions.forEach(act::set);
        spec.setActions(act);
        spec.setImages(images.toSpec());
        spec.setPodSecurity(podSecurity);
        return spec;
    }
}
