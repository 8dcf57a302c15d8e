package dev.picket.profile;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Turns a profile into the immutable {@link Profile} the judge uses, filling in the defaults for whatever the
 * profile left empty: mode {@code monitor}, learn then {@code monitor}, {@code allowRoot: false}, protocol
 * {@code any}, any port, sustain 5s, every threat rule on without exceptions, every action {@code report}, image actions {@code warn},
 * pod security {@code warn}. Every entry point
 * validates first; a profile with problems never compiles.
 */
public final class ProfileCompiler {

    /** Classpath location of the profile used when none is configured: learn mode, threat rules on. */
    public static final String EMBEDDED_DEFAULT = "profiles/default.yaml";
    public static final String EMBEDDED_SOURCE = "embedded default";

    private ProfileCompiler() {
    }

    /** Reads, validates and compiles a profile document. */
    public static Validated<Profile> fromYaml(byte[] yaml, String source, long generation) {
        return ProfileReader.read(yaml).map(p -> compile(p, source, generation));
    }

    /** Validates and compiles a {@code WorkloadProfile} resource; the source is {@code WorkloadProfile ns/name}. */
    public static Validated<Profile> fromResource(WorkloadProfile resource, long generation) {
        return ProfileReader.validate(resource).map(p -> compile(p, sourceOf(p), generation));
    }

    /** {@code WorkloadProfile namespace/name}, or {@code WorkloadProfile name} without a namespace. */
    public static String sourceOf(WorkloadProfile resource) {
        ObjectMeta m = resource.getMetadata();
        String ns = m == null ? null : m.getNamespace();
        String name = m == null ? null : m.getName();
        return WorkloadProfile.KIND + " " + (ns == null ? "" : ns + "/") + name;
    }

    /**
     * The embedded default profile ({@value #EMBEDDED_DEFAULT}), generation 1. It ships inside the jar and
     * is tested, so a failure here is a broken build.
     */
    public static Profile embeddedDefault() {
        try (InputStream in = ProfileCompiler.class.getClassLoader().getResourceAsStream(EMBEDDED_DEFAULT)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + EMBEDDED_DEFAULT);
            }
            return fromYaml(in.readAllBytes(), EMBEDDED_SOURCE, 1).orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + EMBEDDED_DEFAULT, e);
        }
    }

    /** Compiles a profile that {@link ProfileReader} accepted; anything else is a programming error. */
    static Profile compile(WorkloadProfile validated, String source, long generation) {
        WorkloadProfileSpec spec = validated.getSpec() == null ? new WorkloadProfileSpec() : validated.getSpec();
        String name = validated.getMetadata() == null ? "" : validated.getMetadata().getName();
        return new Profile(name, source, generation, or(spec.getMode(), Mode.MONITOR), learn(spec.getLearn()),
                processes(spec.getProcesses()), network(spec.getNetwork()), resources(spec.getResources()),
                disabled(spec.getThreats()), exceptions(spec.getThreats()), actions(spec.getActions()),
                images(spec.getImages()),
                or(spec.getPodSecurity(), PodSecurityMode.WARN));
    }

    private static ImageRules images(ImagesSpec images) {
        if (images == null) {
            return ImageRules.NONE;
        }
        ImageAllowSpec allow = images.getAllow();
        DenyTagsSpec tags = images.getDenyTags();
        return new ImageRules(
                Optional.ofNullable(allow).map(a -> new ImageRules.Rule(a.getRepositories(), or(a.getAction(), ImageAction.WARN))),
                Optional.ofNullable(images.getRequireDigest()).map(d -> or(d.getAction(), ImageAction.WARN)),
                Optional.ofNullable(tags).map(t -> new ImageRules.Rule(t.getTags(), or(t.getAction(), ImageAction.WARN))));
    }

    private static Learn learn(LearnSpec learn) {
        if (learn == null) {
            return Learn.UNTIL_CHANGED;
        }
        return new Learn(Optional.ofNullable(learn.getDuration()).map(GoDuration::parse),
                or(learn.getThen(), Mode.MONITOR));
    }

    private static ProcessRules processes(ProcessesSpec processes) {
        if (processes == null) {
            return new ProcessRules(List.of(), false);
        }
        List<ProcessRule> rules = new ArrayList<>();
        for (ProcessRuleSpec r : or(processes.getAllow(), List.<ProcessRuleSpec>of())) {
            rules.add(new ProcessRule(Glob.compile(r.getExe()), Optional.ofNullable(r.getParent()).map(Glob::compile)));
        }
        return new ProcessRules(rules, Boolean.TRUE.equals(processes.getAllowRoot()));
    }

    private static NetworkRules network(NetworkSpec network) {
        if (network == null) {
            return new NetworkRules(List.of(), List.of());
        }
        List<EgressRule> egress = new ArrayList<>();
        for (EgressRuleSpec r : or(network.getEgress(), List.<EgressRuleSpec>of())) {
            egress.add(new EgressRule(Cidrs.parse(r.getCidr()), PortSet.of(r.getPorts()),
                    or(r.getProtocol(), Protocol.ANY)));
        }
        List<ListenRule> listen = new ArrayList<>();
        for (ListenRuleSpec r : or(network.getListen(), List.<ListenRuleSpec>of())) {
            listen.add(new ListenRule(r.getPort(), or(r.getProtocol(), Protocol.ANY)));
        }
        return new NetworkRules(egress, listen);
    }

    private static Ceilings resources(ResourcesSpec r) {
        if (r == null) {
            return Ceilings.NONE;
        }
        String memory = r.getMemory() == null ? null : r.getMemory().toString();
        return new Ceilings(
                r.getCpuCores() == null ? OptionalDouble.empty() : OptionalDouble.of(r.getCpuCores()),
                memory == null ? OptionalLong.empty() : OptionalLong.of(MemoryQuantity.bytes(memory)),
                Optional.ofNullable(memory),
                optional(r.getProcesses()), optional(r.getThreads()), optional(r.getOpenFiles()),
                optional(r.getForksPerMinute()),
                r.getSustain() == null ? Ceilings.DEFAULT_SUSTAIN : GoDuration.parse(r.getSustain()));
    }

    private static EnumSet<ThreatRule> disabled(ThreatsSpec threats) {
        EnumSet<ThreatRule> off = EnumSet.noneOf(ThreatRule.class);
        if (threats != null && threats.getDisable() != null) {
            threats.getDisable().forEach(id -> off.add(ThreatRule.byId(id).orElseThrow()));
        }
        return off;
    }

    private static ThreatExceptions exceptions(ThreatsSpec threats) {
        if (threats == null || threats.getExceptions() == null) {
            return ThreatExceptions.NONE;
        }
        List<ThreatException> out = new ArrayList<>();
        for (ThreatExceptionSpec e : threats.getExceptions()) {
            out.add(new ThreatException(ThreatRule.byId(e.getRule()).orElseThrow(),
                    Optional.ofNullable(e.getExe()).map(Glob::compile), Optional.ofNullable(e.getParent()).map(Glob::compile),
                    Optional.ofNullable(e.getCidr()).map(Cidrs::parse), PortSet.of(e.getPorts()), e.getReason()));
        }
        return new ThreatExceptions(out);
    }

    private static Map<ViolationKind, ActionType> actions(ActionsSpec actions) {
        Map<ViolationKind, ActionType> out = new EnumMap<>(ViolationKind.class);
        for (ViolationKind kind : ViolationKind.values()) {
            out.put(kind, actions == null ? ActionType.REPORT : or(actions.get(kind), ActionType.REPORT));
        }
        return out;
    }

    private static OptionalInt optional(Integer v) {
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    private static <T> T or(T value, T otherwise) {
        return value == null ? otherwise : value;
    }
}
