package dev.picket.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Quantity;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Writes a profile as a ready-to-apply {@code WorkloadProfile} document in one canonical form: fields in the
 * order of the example, every list sorted and without duplicates, empty sections left out. The same
 * profile always renders to the same bytes, so a learned profile can be diffed and reviewed.
 */
public final class ProfileRenderer {

    private static final YAMLMapper YAML = YAMLMapper.builder(
                    YAMLFactory.builder().stringQuotingChecker(new QuoteWhatReadsAsAnotherType()).build())
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    /**
     * Quotes a string that the reader would take for a number, boolean or null. Jackson's own check misses some
     * (a reason or label value {@code 1e3} or {@code 1:20} would read back as a number), while its parser resolves
     * plain scalars with SnakeYAML's resolver: asking that resolver makes rendering and reading agree.
     */
    private static final class QuoteWhatReadsAsAnotherType extends StringQuotingChecker.Default {

        private static final Resolver RESOLVER = new Resolver();

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || !Tag.STR.equals(RESOLVER.resolve(NodeId.scalar, value, true));
        }
    }

    private ProfileRenderer() {
    }

    /**
     * What {@code GET /v1/profile/learned} returns: the learned spec with {@code mode: enforce} and no
     * {@code learn} section, in canonical form. The input is not changed.
     */
    public static String renderLearned(String name, WorkloadProfileSpec learned) {
        WorkloadProfileSpec spec = canonical(learned);
        spec.setMode(Mode.ENFORCE);
        spec.setLearn(null);
        return document(name, spec);
    }

    /** Any spec as a document in canonical form, mode as given. The input is not changed. */
    public static String render(String name, WorkloadProfileSpec spec) {
        return document(name, canonical(spec));
    }

    /** A compiled profile with every default written out (see {@link Profile#toSpec()}). */
    public static String render(Profile profile) {
        return render(profile.name(), profile.toSpec());
    }

    private static String document(String name, WorkloadProfileSpec spec) {
        ObjectNode root = YAML.createObjectNode();
        root.put("apiVersion", WorkloadProfile.API_VERSION);
        root.put("kind", WorkloadProfile.KIND);
        root.putObject("metadata").put("name", name);
        root.set("spec", YAML.valueToTree(spec));
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A deep copy in canonical form: lists sorted and de-duplicated, empty lists and sections removed (an
     * absent allowlist means the same as an empty one: nothing allowed). A selector is kept even when empty.
     */
    public static WorkloadProfileSpec canonical(WorkloadProfileSpec in) {
        WorkloadProfileSpec out = new WorkloadProfileSpec();
        if (in == null) {
            return out;
        }
        out.setSelector(selector(in.getSelector()));
        out.setMode(in.getMode());
        LearnSpec learn = in.getLearn();
        if (learn != null && (learn.getDuration() != null || learn.getThen() != null)) {
            out.setLearn(new LearnSpec(learn.getDuration(), learn.getThen()));
        }
        out.setProcesses(processes(in.getProcesses()));
        out.setNetwork(network(in.getNetwork()));
        out.setResources(resources(in.getResources()));
        out.setThreats(threats(in.getThreats()));
        ActionsSpec actions = in.getActions();
        if (actions != null && !actions.equals(new ActionsSpec())) {
            ActionsSpec copy = new ActionsSpec();
            for (ViolationKind k : ViolationKind.values()) {
                copy.set(k, actions.get(k));
            }
            out.setActions(copy);
        }
        out.setImages(images(in.getImages()));
        out.setPodSecurity(in.getPodSecurity());
        return out;
    }

    /** Disabled ids alphabetically; exceptions by rule, exe, parent, address, ports, reason (absent first). */
    private static ThreatsSpec threats(ThreatsSpec in) {
        if (in == null) {
            return null;
        }
        List<String> ids = sortedDistinct(in.getDisable(), Function.identity(), Comparator.naturalOrder());
        Comparator<String> text = Comparator.nullsFirst(Comparator.naturalOrder());
        List<ThreatExceptionSpec> exceptions = sortedDistinct(in.getExceptions(),
                e -> new ThreatExceptionSpec(e.getRule(), e.getExe(), e.getParent(), e.getCidr(),
                        sortedDistinct(e.getPorts(), Function.identity(), Comparator.nullsFirst(Comparator.naturalOrder())),
                        e.getReason()),
                Comparator.comparing(ThreatExceptionSpec::getRule, text)
                        .thenComparing(ThreatExceptionSpec::getExe, text)
                        .thenComparing(ThreatExceptionSpec::getParent, text)
                        .thenComparing(e -> e.getCidr() == null ? 0 : 1)
                        .thenComparing(ThreatExceptionSpec::getCidr, ProfileRenderer::compareCidr)
                        .thenComparing(e -> String.valueOf(e.getPorts()))
                        .thenComparing(ThreatExceptionSpec::getReason, text));
        return ids == null && exceptions == null ? null : new ThreatsSpec(ids, exceptions);
    }

    private static ImagesSpec images(ImagesSpec in) {
        if (in == null) {
            return null;
        }
        ImageAllowSpec allow = in.getAllow() == null ? null : new ImageAllowSpec(
                sortedDistinct(in.getAllow().getRepositories(), Function.identity(), Comparator.naturalOrder()),
                in.getAllow().getAction());
        RequireDigestSpec digest = in.getRequireDigest() == null ? null
                : new RequireDigestSpec(in.getRequireDigest().getAction());
        DenyTagsSpec tags = in.getDenyTags() == null ? null : new DenyTagsSpec(
                sortedDistinct(in.getDenyTags().getTags(), Function.identity(), Comparator.naturalOrder()),
                in.getDenyTags().getAction());
        return allow == null && digest == null && tags == null ? null : new ImagesSpec(allow, digest, tags);
    }

    /** A copy of a label selector in canonical form: labels by key, expressions sorted, values sorted. */
    public static LabelSelector canonicalSelector(LabelSelector in) {
        return selector(in);
    }

    /** An empty selector stays: unlike an absent one, it selects every pod. */
    private static LabelSelector selector(LabelSelector in) {
        if (in == null) {
            return null;
        }
        LabelSelector out = new LabelSelector();
        if (in.getMatchLabels() != null && !in.getMatchLabels().isEmpty()) {
            out.setMatchLabels(new TreeMap<>(in.getMatchLabels()));
        }
        List<LabelSelectorRequirement> exprs = sortedDistinct(in.getMatchExpressions(),
                e -> new LabelSelectorRequirement(e.getKey(), e.getOperator(),
                        e.getValues() == null || e.getValues().isEmpty() ? null
                                : sortedDistinct(e.getValues(), Function.identity(), Comparator.naturalOrder())),
                Comparator.comparing(LabelSelectorRequirement::getKey, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(LabelSelectorRequirement::getOperator,
                                Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(e -> String.valueOf(e.getValues())));
        if (exprs != null) {
            out.setMatchExpressions(exprs);
        }
        return out;
    }

    private static ProcessesSpec processes(ProcessesSpec in) {
        if (in == null) {
            return null;
        }
        List<ProcessRuleSpec> allow = sortedDistinct(in.getAllow(), r -> new ProcessRuleSpec(r.getExe(), r.getParent()),
                Comparator.comparing(ProcessRuleSpec::getExe, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(ProcessRuleSpec::getParent, Comparator.nullsFirst(Comparator.naturalOrder())));
        return allow == null && in.getAllowRoot() == null ? null : new ProcessesSpec(allow, in.getAllowRoot());
    }

    private static NetworkSpec network(NetworkSpec in) {
        if (in == null) {
            return null;
        }
        List<EgressRuleSpec> egress = sortedDistinct(in.getEgress(),
                r -> new EgressRuleSpec(r.getCidr(),
                        sortedDistinct(r.getPorts(), Function.identity(), Comparator.nullsFirst(Comparator.naturalOrder())),
                        r.getProtocol()),
                Comparator.comparing(EgressRuleSpec::getCidr, ProfileRenderer::compareCidr)
                        .thenComparing(EgressRuleSpec::getProtocol, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(r -> String.valueOf(r.getPorts())));
        List<ListenRuleSpec> listen = sortedDistinct(in.getListen(), r -> new ListenRuleSpec(r.getPort(), r.getProtocol()),
                Comparator.comparing(ListenRuleSpec::getPort, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(ListenRuleSpec::getProtocol, Comparator.nullsFirst(Comparator.naturalOrder())));
        return egress == null && listen == null ? null : new NetworkSpec(egress, listen);
    }

    private static ResourcesSpec resources(ResourcesSpec in) {
        if (in == null) {
            return null;
        }
        ResourcesSpec out = new ResourcesSpec();
        out.setCpuCores(in.getCpuCores());
        out.setMemory(in.getMemory() == null ? null : new Quantity(in.getMemory().toString()));
        out.setProcesses(in.getProcesses());
        out.setThreads(in.getThreads());
        out.setOpenFiles(in.getOpenFiles());
        out.setForksPerMinute(in.getForksPerMinute());
        out.setSustain(in.getSustain());
        return out.equals(new ResourcesSpec()) ? null : out;
    }

    /** Copies, sorts and de-duplicates; null for a null or empty list. */
    private static <T> List<T> sortedDistinct(List<T> in, Function<T, T> copy, Comparator<? super T> order) {
        if (in == null || in.isEmpty()) {
            return null;
        }
        List<T> out = new ArrayList<>(new LinkedHashSet<>(in.stream().filter(Objects::nonNull).map(copy).toList()));
        out.sort(order);
        return out.isEmpty() ? null : out;
    }

    /** Numeric order: IPv4 before IPv6, then by network address, then wider blocks first; unparsable last. */
    private static int compareCidr(String a, String b) {
        IPAddress x = parseOrNull(a);
        IPAddress y = parseOrNull(b);
        if (x == null || y == null) {
            return x != null ? -1 : y != null ? 1 : Objects.compare(a, b, Comparator.nullsFirst(Comparator.naturalOrder()));
        }
        int c = Boolean.compare(!x.isIPv4(), !y.isIPv4());
        if (c == 0) {
            c = x.getValue().compareTo(y.getValue());
        }
        if (c == 0) {
            c = Integer.compare(prefix(x), prefix(y));
        }
        return c != 0 ? c : a.compareTo(b);
    }

    private static int prefix(IPAddress a) {
        Integer p = a.getNetworkPrefixLength();
        return p == null ? a.getBitCount() : p;
    }

    private static IPAddress parseOrNull(String cidr) {
        try {
            return cidr == null ? null : Cidrs.parse(cidr);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
