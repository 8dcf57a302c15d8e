package dev.picket.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Walks a profile's tree, checks every field and builds the model from what is valid. It records every
 * problem with its path instead of stopping at the first, refuses unknown fields (a misspelt {@code allow}
 * must not quietly leave a rule out), and never throws on any tree. Long lists are refused by their length
 * before any entry is looked at, so the work is bounded by {@link ProfileLimits}.
 */
final class SpecValidator {

    static final List<String> DOCUMENT_FIELDS = List.of("apiVersion", "kind", "metadata", "spec", "status");
    /** What users write, plus what {@code kubectl get -o yaml} adds (accepted and ignored). */
    static final List<String> METADATA_FIELDS = List.of("name", "namespace", "labels", "annotations", "uid",
            "resourceVersion", "generation", "creationTimestamp", "managedFields", "ownerReferences", "finalizers",
            "generateName", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink");
    static final List<String> SPEC_FIELDS = List.of("selector", "mode", "learn", "processes", "network", "resources",
            "threats", "actions", "images", "podSecurity");
    private static final List<String> SELECTOR_FIELDS = List.of("matchLabels", "matchExpressions");
    private static final List<String> EXPRESSION_FIELDS = List.of("key", "operator", "values");
    private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");
    private static final List<String> LEARN_FIELDS = List.of("duration", "then");
    private static final List<String> PROCESSES_FIELDS = List.of("allow", "allowRoot");
    private static final List<String> PROCESS_RULE_FIELDS = List.of("exe", "parent");
    private static final List<String> NETWORK_FIELDS = List.of("egress", "listen");
    private static final List<String> EGRESS_FIELDS = List.of("cidr", "ports", "protocol");
    private static final List<String> LISTEN_FIELDS = List.of("port", "protocol");
    private static final List<String> RESOURCES_FIELDS = List.of("cpuCores", "memory", "processes", "threads",
            "openFiles", "forksPerMinute", "sustain");
    private static final List<String> THREATS_FIELDS = List.of("disable", "exceptions");
    private static final List<String> THREAT_EXCEPTION_FIELDS = List.of("rule", "exe", "parent", "cidr", "ports", "reason");
    /** The fields of a threat exception that narrow it; which of them a rule has is {@link ThreatRule#exceptionFields}. */
    private static final List<String> NARROWING_FIELDS = List.of("exe", "parent", "cidr", "ports");
    private static final List<String> IMAGES_FIELDS = List.of("allow", "requireDigest", "denyTags");
    private static final List<String> IMAGE_ALLOW_FIELDS = List.of("repositories", "action");
    private static final List<String> REQUIRE_DIGEST_FIELDS = List.of("action");
    private static final List<String> DENY_TAGS_FIELDS = List.of("tags", "action");
    private static final List<String> ACTIONS_FIELDS =
            Stream.of(ViolationKind.values()).map(ViolationKind::wire).toList();

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

    private final Problems problems;

    SpecValidator(Problems problems) {
        this.problems = problems;
    }

    // ---- the document (file form) ----

    WorkloadProfile document(JsonNode root) {
        if (root != null && root.isTextual() && root.textValue().isBlank()) {
            problems.add("", "the profile is empty");
            return null;
        }
        ObjectNode doc = fields(root, "", DOCUMENT_FIELDS);
        if (doc == null) {
            if (root != null && !root.isNull() && !root.isObject()) {
                return null;
            }
            problems.add("", "the profile is empty");
            return null;
        }
        exact(doc.get("apiVersion"), "apiVersion", WorkloadProfile.API_VERSION);
        exact(doc.get("kind"), "kind", WorkloadProfile.KIND);
        ObjectMeta meta = metadata(doc.get("metadata"), "metadata");
        WorkloadProfileSpec spec = spec(doc.get("spec"), "spec");
        JsonNode status = doc.get("status");
        if (status != null && !status.isNull() && !status.isObject()) {
            problems.add("status", "must be a mapping, got " + describe(status));
        }
        WorkloadProfile profile = new WorkloadProfile();
        profile.setMetadata(meta);
        profile.setSpec(spec);
        return profile;
    }

    private void exact(JsonNode node, String path, String expected) {
        String s = string(node, path);
        if (absent(node)) {
            problems.add(path, "is required and must be " + expected);
        } else if (s != null && !s.equals(expected)) {
            problems.add(path, "must be " + expected + ", got " + Text.quote(s));
        }
    }

    private ObjectMeta metadata(JsonNode node, String path) {
        ObjectMeta meta = new ObjectMeta();
        ObjectNode o = fields(node, path, METADATA_FIELDS);
        if (o == null) {
            if (absent(node)) {
                problems.add(path, "is required (at least metadata.name)");
            }
            return meta;
        }
        String name = string(o.get("name"), Problems.child(path, "name"));
        if (absent(o.get("name"))) {
            problems.add(Problems.child(path, "name"), "is required");
        } else if (name != null) {
            if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
                problems.add(Problems.child(path, "name"), Text.quote(name)
                        + " is not a valid name: lower-case letters, digits, '-' and '.', at most 253 characters");
            }
            meta.setName(name);
        }
        String namespace = string(o.get("namespace"), Problems.child(path, "namespace"));
        if (namespace != null) {
            if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
                problems.add(Problems.child(path, "namespace"), Text.quote(namespace) + " is not a valid namespace");
            }
            meta.setNamespace(namespace);
        }
        meta.setLabels(stringMap(o.get("labels"), Problems.child(path, "labels"), 256));
        meta.setAnnotations(stringMap(o.get("annotations"), Problems.child(path, "annotations"), 256));
        return meta;
    }

    // ---- spec ----

    WorkloadProfileSpec spec(JsonNode node, String path) {
        WorkloadProfileSpec spec = new WorkloadProfileSpec();
        ObjectNode o = fields(node, path, SPEC_FIELDS);
        if (o == null) {
            return spec;
        }
        spec.setSelector(selector(o.get("selector"), Problems.child(path, "selector")));
        spec.setMode(enumValue(o.get("mode"), Problems.child(path, "mode"), Mode.class));
        spec.setLearn(learn(o.get("learn"), Problems.child(path, "learn")));
        spec.setProcesses(processes(o.get("processes"), Problems.child(path, "processes")));
        spec.setNetwork(network(o.get("network"), Problems.child(path, "network")));
        spec.setResources(resources(o.get("resources"), Problems.child(path, "resources")));
        spec.setThreats(threats(o.get("threats"), Problems.child(path, "threats")));
        spec.setActions(actions(o.get("actions"), Problems.child(path, "actions")));
        spec.setImages(images(o.get("images"), Problems.child(path, "images")));
        spec.setPodSecurity(enumValue(o.get("podSecurity"), Problems.child(path, "podSecurity"), PodSecurityMode.class));
        return spec;
    }

    private LabelSelector selector(JsonNode node, String path) {
        ObjectNode o = fields(node, path, SELECTOR_FIELDS);
        if (o == null) {
            return null;
        }
        LabelSelector selector = new LabelSelector();
        String labelsPath = Problems.child(path, "matchLabels");
        Map<String, String> labels = stringMap(o.get("matchLabels"), labelsPath, ProfileLimits.MAX_SELECTOR_LABELS);
        if (labels != null) {
            labels.forEach((k, v) -> {
                labelKey(k, Problems.child(labelsPath, k));
                labelValue(v, Problems.child(labelsPath, k));
            });
            selector.setMatchLabels(labels);
        }
        String exprPath = Problems.child(path, "matchExpressions");
        List<JsonNode> exprs = list(o.get("matchExpressions"), exprPath, ProfileLimits.MAX_SELECTOR_EXPRESSIONS);
        if (exprs != null) {
            List<LabelSelectorRequirement> reqs = new ArrayList<>();
            for (int i = 0; i < exprs.size(); i++) {
                String p = Problems.index(exprPath, i);
                ObjectNode e = fields(exprs.get(i), p, EXPRESSION_FIELDS);
                if (e == null) {
                    requiredEntry(exprs.get(i), p);
                    continue;
                }
                String key = string(e.get("key"), Problems.child(p, "key"));
                if (absent(e.get("key"))) {
                    problems.add(Problems.child(p, "key"), "is required");
                } else if (key != null) {
                    labelKey(key, Problems.child(p, "key"));
                }
                String op = string(e.get("operator"), Problems.child(p, "operator"));
                if (absent(e.get("operator"))) {
                    problems.add(Problems.child(p, "operator"), "is required: one of " + String.join(", ", OPERATORS));
                } else if (op != null && !OPERATORS.contains(op)) {
                    problems.add(Problems.child(p, "operator"),
                            Text.quote(op) + " is not one of " + String.join(", ", OPERATORS));
                }
                List<String> values = stringList(e.get("values"), Problems.child(p, "values"),
                        ProfileLimits.MAX_SELECTOR_VALUES);
                if (values != null) {
                    for (int v = 0; v < values.size(); v++) {
                        if (values.get(v) != null) {
                            labelValue(values.get(v), Problems.index(Problems.child(p, "values"), v));
                        }
                    }
                }
                boolean hasValues = values != null && !values.isEmpty();
                boolean valuesWrongType = !absent(e.get("values")) && !e.get("values").isArray();
                if (("In".equals(op) || "NotIn".equals(op)) && !hasValues && !valuesWrongType) {
                    problems.add(Problems.child(p, "values"), "must not be empty for operator " + op);
                } else if (("Exists".equals(op) || "DoesNotExist".equals(op)) && hasValues) {
                    problems.add(Problems.child(p, "values"), "must be empty for operator " + op);
                }
                reqs.add(new LabelSelectorRequirement(key, op, values));
            }
            selector.setMatchExpressions(reqs);
        }
        return selector;
    }

    private LearnSpec learn(JsonNode node, String path) {
        ObjectNode o = fields(node, path, LEARN_FIELDS);
        if (o == null) {
            return null;
        }
        LearnSpec learn = new LearnSpec();
        learn.setDuration(duration(o.get("duration"), Problems.child(path, "duration"), Duration.ofSeconds(1),
                ProfileLimits.MAX_LEARN_DURATION));
        Mode then = enumValue(o.get("then"), Problems.child(path, "then"), Mode.class);
        if (then == Mode.LEARN) {
            problems.add(Problems.child(path, "then"), "must be monitor or enforce: learning cannot switch to learning");
        }
        learn.setThen(then);
        return learn;
    }

    private ProcessesSpec processes(JsonNode node, String path) {
        ObjectNode o = fields(node, path, PROCESSES_FIELDS);
        if (o == null) {
            return null;
        }
        ProcessesSpec processes = new ProcessesSpec();
        String allowPath = Problems.child(path, "allow");
        List<JsonNode> entries = list(o.get("allow"), allowPath, ProfileLimits.MAX_PROCESS_RULES);
        if (entries != null) {
            List<ProcessRuleSpec> rules = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                String p = Problems.index(allowPath, i);
                ObjectNode e = fields(entries.get(i), p, PROCESS_RULE_FIELDS);
                if (e == null) {
                    requiredEntry(entries.get(i), p);
                    continue;
                }
                String exe = glob(e.get("exe"), Problems.child(p, "exe"));
                if (absent(e.get("exe"))) {
                    problems.add(Problems.child(p, "exe"), "is required");
                }
                String parent = glob(e.get("parent"), Problems.child(p, "parent"));
                rules.add(new ProcessRuleSpec(exe, parent));
            }
            processes.setAllow(rules);
        }
        processes.setAllowRoot(bool(o.get("allowRoot"), Problems.child(path, "allowRoot")));
        return processes;
    }

    private NetworkSpec network(JsonNode node, String path) {
        ObjectNode o = fields(node, path, NETWORK_FIELDS);
        if (o == null) {
            return null;
        }
        NetworkSpec network = new NetworkSpec();
        String egressPath = Problems.child(path, "egress");
        List<JsonNode> egress = list(o.get("egress"), egressPath, ProfileLimits.MAX_EGRESS_RULES);
        if (egress != null) {
            List<EgressRuleSpec> rules = new ArrayList<>(egress.size());
            for (int i = 0; i < egress.size(); i++) {
                String p = Problems.index(egressPath, i);
                ObjectNode e = fields(egress.get(i), p, EGRESS_FIELDS);
                if (e == null) {
                    requiredEntry(egress.get(i), p);
                    continue;
                }
                String cidr = cidr(e.get("cidr"), Problems.child(p, "cidr"));
                if (absent(e.get("cidr"))) {
                    problems.add(Problems.child(p, "cidr"), "is required (use 0.0.0.0/0 and ::/0 for any address)");
                }
                List<Integer> ports = ports(e.get("ports"), Problems.child(p, "ports"));
                Protocol protocol = enumValue(e.get("protocol"), Problems.child(p, "protocol"), Protocol.class);
                rules.add(new EgressRuleSpec(cidr, ports, protocol));
            }
            network.setEgress(rules);
        }
        String listenPath = Problems.child(path, "listen");
        List<JsonNode> listen = list(o.get("listen"), listenPath, ProfileLimits.MAX_LISTEN_RULES);
        if (listen != null) {
            List<ListenRuleSpec> rules = new ArrayList<>(listen.size());
            for (int i = 0; i < listen.size(); i++) {
                String p = Problems.index(listenPath, i);
                ObjectNode e = fields(listen.get(i), p, LISTEN_FIELDS);
                if (e == null) {
                    requiredEntry(listen.get(i), p);
                    continue;
                }
                Integer port = port(e.get("port"), Problems.child(p, "port"));
                if (absent(e.get("port"))) {
                    problems.add(Problems.child(p, "port"), "is required");
                }
                Protocol protocol = enumValue(e.get("protocol"), Problems.child(p, "protocol"), Protocol.class);
                rules.add(new ListenRuleSpec(port, protocol));
            }
            network.setListen(rules);
        }
        return network;
    }

    private List<Integer> ports(JsonNode node, String path) {
        List<JsonNode> entries = list(node, path, ProfileLimits.MAX_PORTS_PER_RULE);
        if (entries == null) {
            return null;
        }
        List<Integer> ports = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            String p = Problems.index(path, i);
            Integer port = port(entries.get(i), p);
            if (absent(entries.get(i))) {
                problems.add(p, "must be a port between 1 and 65535, got null");
            }
            ports.add(port);
        }
        return ports;
    }

    private Integer port(JsonNode node, String path) {
        Long v = integer(node, path);
        if (v == null) {
            return null;
        }
        if (v < 1 || v > 65535) {
            problems.add(path, "must be a port between 1 and 65535, got " + v);
            return null;
        }
        return v.intValue();
    }

    private ResourcesSpec resources(JsonNode node, String path) {
        ObjectNode o = fields(node, path, RESOURCES_FIELDS);
        if (o == null) {
            return null;
        }
        ResourcesSpec r = new ResourcesSpec();
        r.setCpuCores(cpuCores(o.get("cpuCores"), Problems.child(path, "cpuCores")));
        r.setMemory(memory(o.get("memory"), Problems.child(path, "memory")));
        r.setProcesses(bounded(o.get("processes"), Problems.child(path, "processes"), ProfileLimits.MAX_TASKS));
        r.setThreads(bounded(o.get("threads"), Problems.child(path, "threads"), ProfileLimits.MAX_TASKS));
        r.setOpenFiles(bounded(o.get("openFiles"), Problems.child(path, "openFiles"), ProfileLimits.MAX_OPEN_FILES));
        r.setForksPerMinute(bounded(o.get("forksPerMinute"), Problems.child(path, "forksPerMinute"),
                ProfileLimits.MAX_FORKS_PER_MINUTE));
        r.setSustain(duration(o.get("sustain"), Problems.child(path, "sustain"), Duration.ZERO,
                ProfileLimits.MAX_SUSTAIN));
        return r;
    }

    private Double cpuCores(JsonNode node, String path) {
        if (absent(node)) {
            return null;
        }
        if (!node.isNumber()) {
            problems.add(path, "must be a number of cores, e.g. 0.5; got " + describe(node));
            return null;
        }
        double v = node.doubleValue();
        if (!Double.isFinite(v) || v <= 0 || v > ProfileLimits.MAX_CPU_CORES) {
            problems.add(path, "must be more than 0 and at most " + (int) ProfileLimits.MAX_CPU_CORES + " cores, got "
                    + node.asText());
            return null;
        }
        return v;
    }

    private Quantity memory(JsonNode node, String path) {
        if (absent(node)) {
            return null;
        }
        String text;
        if (node.isIntegralNumber()) {
            text = node.bigIntegerValue().toString();
        } else if (node.isTextual()) {
            text = node.textValue();
        } else {
            problems.add(path, "must be a Kubernetes quantity such as 256Mi, got " + describe(node));
            return null;
        }
        try {
            MemoryQuantity.bytes(text);
        } catch (IllegalArgumentException e) {
            problems.add(path, Text.quote(text) + " " + e.getMessage());
            return null;
        }
        return new Quantity(text);
    }

    private Integer bounded(JsonNode node, String path, int max) {
        Long v = integer(node, path);
        if (v == null) {
            return null;
        }
        if (v < 1 || v > max) {
            problems.add(path, "must be between 1 and " + max + ", got " + v);
            return null;
        }
        return v.intValue();
    }

    private ThreatsSpec threats(JsonNode node, String path) {
        ObjectNode o = fields(node, path, THREATS_FIELDS);
        if (o == null) {
            return null;
        }
        String disablePath = Problems.child(path, "disable");
        List<String> ids = stringList(o.get("disable"), disablePath, ProfileLimits.MAX_DISABLED_THREATS);
        if (ids != null) {
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                if (id != null) {
                    threatRule(id, Problems.index(disablePath, i));
                }
            }
        }
        String exceptionsPath = Problems.child(path, "exceptions");
        List<JsonNode> entries = list(o.get("exceptions"), exceptionsPath, ProfileLimits.MAX_THREAT_EXCEPTIONS);
        List<ThreatExceptionSpec> exceptions = null;
        if (entries != null) {
            exceptions = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                String p = Problems.index(exceptionsPath, i);
                ObjectNode e = fields(entries.get(i), p, THREAT_EXCEPTION_FIELDS);
                if (e == null) {
                    requiredEntry(entries.get(i), p);
                    continue;
                }
                exceptions.add(threatException(e, p));
            }
        }
        return new ThreatsSpec(ids, exceptions);
    }

    /** The rule with this id, or null with the problem recorded (a near miss suggested, the known ids listed). */
    private ThreatRule threatRule(String id, String path) {
        Optional<ThreatRule> rule = ThreatRule.byId(id);
        if (rule.isEmpty()) {
            List<String> known = Stream.of(ThreatRule.values()).map(ThreatRule::id).toList();
            problems.add(path, "unknown threat rule " + Text.quote(id) + suggestion(id, known) + "; known rules: "
                    + String.join(", ", known));
        }
        return rule.orElse(null);
    }

    /**
     * One {@code spec.threats.exceptions} entry: a known rule, at least one narrowing field and only those the rule's
     * findings have a value for, each valid as in {@code processes.allow} and {@code network.egress}, and a reason.
     */
    private ThreatExceptionSpec threatException(ObjectNode e, String path) {
        String rulePath = Problems.child(path, "rule");
        String id = string(e.get("rule"), rulePath);
        ThreatRule rule = null;
        if (absent(e.get("rule"))) {
            problems.add(rulePath, "is required: the id of the threat rule to except, one of "
                    + Stream.of(ThreatRule.values()).map(ThreatRule::id).collect(java.util.stream.Collectors.joining(", ")));
        } else if (id != null) {
            rule = threatRule(id, rulePath);
        }
        String exe = glob(e.get("exe"), Problems.child(path, "exe"));
        String parent = glob(e.get("parent"), Problems.child(path, "parent"));
        String cidr = cidr(e.get("cidr"), Problems.child(path, "cidr"));
        List<Integer> ports = ports(e.get("ports"), Problems.child(path, "ports"));
        if (ports != null && ports.isEmpty()) {
            problems.add(Problems.child(path, "ports"), "must not be empty: list the remote ports, or leave ports out");
        }
        String reason = reason(e.get("reason"), Problems.child(path, "reason"));
        List<String> given = NARROWING_FIELDS.stream().filter(f -> !absent(e.get(f))).toList();
        if (rule != null && rule.exceptionFields().isEmpty()) {
            problems.add(rulePath, rule.id() + " cannot be excepted narrowly: its findings name no process and no"
                    + " remote address. Raise spec.resources.forksPerMinute, or turn it off in spec.threats.disable");
        } else if (rule != null) {
            for (String f : given) {
                if (!rule.exceptionFields().contains(f)) {
                    problems.add(Problems.child(path, f), rule.id() + " findings have no remote address to match; an"
                            + " exception of " + rule.id() + " can narrow by " + String.join(", ", rule.exceptionFields()));
                }
            }
            if (given.isEmpty()) {
                problems.add(path, "an exception needs at least one of " + String.join(", ", rule.exceptionFields())
                        + " to narrow it; to turn " + rule.id() + " off everywhere, list it in spec.threats.disable");
            }
        } else if (given.isEmpty()) {
            problems.add(path, "an exception needs at least one of " + String.join(", ", NARROWING_FIELDS)
                    + " to narrow it; to turn a rule off everywhere, list it in spec.threats.disable");
        }
        return new ThreatExceptionSpec(id, exe, parent, cidr, ports, reason);
    }

    /** Why a threat exception is there: required, one line, not blank, bounded. */
    private String reason(JsonNode node, String path) {
        if (absent(node)) {
            problems.add(path, "is required: say why this behaviour is normal for the workload (shown in"
                    + " GET /v1/profile and the log)");
            return null;
        }
        String s = string(node, path);
        if (s == null) {
            return null;
        }
        if (s.length() > ProfileLimits.MAX_EXCEPTION_REASON_LENGTH) {
            problems.add(path, "is " + s.length() + " characters long, at most " + ProfileLimits.MAX_EXCEPTION_REASON_LENGTH
                    + " are allowed");
            return s;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                problems.add(path, "must be one line without control or formatting characters, found "
                        + String.format("U+%04X", (int) c) + " at index " + i);
                return s;
            }
        }
        if (s.isBlank()) {
            problems.add(path, "must not be blank: say why this behaviour is normal for the workload");
        }
        return s;
    }

    private ActionsSpec actions(JsonNode node, String path) {
        ObjectNode o = fields(node, path, ACTIONS_FIELDS);
        if (o == null) {
            return null;
        }
        ActionsSpec actions = new ActionsSpec();
        for (ViolationKind kind : ViolationKind.values()) {
            actions.set(kind, enumValue(o.get(kind.wire()), Problems.child(path, kind.wire()), ActionType.class));
        }
        return actions;
    }

    private ImagesSpec images(JsonNode node, String path) {
        ObjectNode o = fields(node, path, IMAGES_FIELDS);
        if (o == null) {
            return null;
        }
        ImagesSpec images = new ImagesSpec();
        String allowPath = Problems.child(path, "allow");
        ObjectNode allow = fields(o.get("allow"), allowPath, IMAGE_ALLOW_FIELDS);
        if (allow != null) {
            List<String> repositories = patterns(allow.get("repositories"), Problems.child(allowPath, "repositories"),
                    ProfileLimits.MAX_IMAGE_REPOSITORIES, "the repositories images may come from",
                    ImagePatterns::repositoryProblem);
            images.setAllow(new ImageAllowSpec(repositories, enumValue(allow.get("action"),
                    Problems.child(allowPath, "action"), ImageAction.class)));
        }
        String digestPath = Problems.child(path, "requireDigest");
        ObjectNode digest = fields(o.get("requireDigest"), digestPath, REQUIRE_DIGEST_FIELDS);
        if (digest != null) {
            images.setRequireDigest(new RequireDigestSpec(enumValue(digest.get("action"), Problems.child(digestPath, "action"),
                    ImageAction.class)));
        }
        String tagsPath = Problems.child(path, "denyTags");
        ObjectNode tags = fields(o.get("denyTags"), tagsPath, DENY_TAGS_FIELDS);
        if (tags != null) {
            List<String> denied = patterns(tags.get("tags"), Problems.child(tagsPath, "tags"), ProfileLimits.MAX_DENY_TAGS,
                    "the tags to deny, e.g. [latest]", ImagePatterns::tagProblem);
            images.setDenyTags(new DenyTagsSpec(denied, enumValue(tags.get("action"), Problems.child(tagsPath, "action"),
                    ImageAction.class)));
        }
        return images;
    }

    /** A required, non-empty list of patterns, each checked by {@code check}. */
    private List<String> patterns(JsonNode node, String path, int max, String what,
            Function<String, Optional<String>> check) {
        if (absent(node)) {
            problems.add(path, "is required: " + what);
            return null;
        }
        List<String> patterns = stringList(node, path, max);
        if (patterns == null) {
            return null;
        }
        if (patterns.isEmpty()) {
            problems.add(path, "must not be empty: list " + what);
        }
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            if (p != null) {
                String at = Problems.index(path, i);
                check.apply(p).ifPresent(problem -> problems.add(at, Text.quote(p) + " " + problem));
            }
        }
        return patterns;
    }

    // ---- value checks ----

    /** A CIDR or single address, checked as {@link Cidrs#parse} reads it; null when absent or not a string. */
    private String cidr(JsonNode node, String path) {
        String cidr = string(node, path);
        if (cidr != null) {
            try {
                Cidrs.parse(cidr);
            } catch (IllegalArgumentException ex) {
                problems.add(path, Text.quote(cidr) + " is not a valid CIDR: " + ex.getMessage());
            }
        }
        return cidr;
    }

    private String glob(JsonNode node, String path) {
        String s = string(node, path);
        if (s == null) {
            return null;
        }
        try {
            Glob.compile(s);
        } catch (IllegalArgumentException e) {
            problems.add(path, Text.quote(s) + " is not a valid glob: " + e.getMessage());
            return s;
        }
        if (!(s.startsWith("/") || s.startsWith("*") || s.startsWith("{"))) {
            problems.add(path, Text.quote(s) + " is not an absolute path: executables are matched by their full path,"
                    + " so start with / (or with ** to match in any directory)");
        }
        return s;
    }

    private String duration(JsonNode node, String path, Duration min, Duration max) {
        if (absent(node)) {
            return null;
        }
        if (node.isNumber()) {
            problems.add(path, "must be a duration with a unit, e.g. " + node.asText() + "s or 10m; got the number "
                    + node.asText());
            return null;
        }
        String s = string(node, path);
        if (s == null) {
            return null;
        }
        try {
            Duration d = GoDuration.parse(s);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problems.add(path, Text.quote(s) + " must be between " + GoDuration.format(min) + " and "
                        + GoDuration.format(max));
            }
        } catch (IllegalArgumentException e) {
            problems.add(path, Text.quote(s) + " is not a valid duration (e.g. 30s, 10m, 1h30m): " + e.getMessage());
        }
        return s;
    }

    private void labelKey(String key, String path) {
        int slash = key.indexOf('/');
        String prefix = slash >= 0 ? key.substring(0, slash) : null;
        String name = slash >= 0 ? key.substring(slash + 1) : key;
        boolean ok = name.length() <= 63 && LABEL_NAME.matcher(name).matches()
                && (prefix == null || prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches());
        if (!ok) {
            problems.add(path, Text.quote(key) + " is not a valid label key");
        }
    }

    private void labelValue(String value, String path) {
        if (!value.isEmpty() && (value.length() > 63 || !LABEL_NAME.matcher(value).matches())) {
            problems.add(path, Text.quote(value) + " is not a valid label value");
        }
    }

    // ---- structure ----

    /**
     * The node as a mapping, with unknown fields reported; null when absent (missing or YAML null) or not a
     * mapping (reported).
     */
    private ObjectNode fields(JsonNode node, String path, List<String> known) {
        if (absent(node)) {
            return null;
        }
        if (!(node instanceof ObjectNode o)) {
            problems.add(path, "must be a mapping with the fields " + String.join(", ", known) + "; got " + describe(node));
            return null;
        }
        Iterator<String> names = o.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add(Problems.child(path, name), "unknown field" + suggestion(name, known)
                        + "; known fields: " + String.join(", ", known));
            }
        }
        return o;
    }

    /** An entry of a list that must be a mapping was missing (null) or of another type. */
    private void requiredEntry(JsonNode node, String path) {
        if (absent(node)) {
            problems.add(path, "must be a mapping, got null");
        }
    }

    private List<JsonNode> list(JsonNode node, String path, int max) {
        if (absent(node)) {
            return null;
        }
        if (!node.isArray()) {
            problems.add(path, "must be a list, got " + describe(node));
            return null;
        }
        if (node.size() > max) {
            problems.add(path, "has " + node.size() + " entries, at most " + max + " are allowed");
            return null;
        }
        List<JsonNode> out = new ArrayList<>(node.size());
        node.forEach(out::add);
        return out;
    }

    private List<String> stringList(JsonNode node, String path, int max) {
        List<JsonNode> entries = list(node, path, max);
        if (entries == null) {
            return null;
        }
        List<String> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            String p = Problems.index(path, i);
            if (absent(entries.get(i))) {
                problems.add(p, "must be a string, got null");
            }
            out.add(string(entries.get(i), p));
        }
        return out;
    }

    private Map<String, String> stringMap(JsonNode node, String path, int max) {
        if (absent(node)) {
            return null;
        }
        if (!node.isObject()) {
            problems.add(path, "must be a mapping of strings, got " + describe(node));
            return null;
        }
        if (node.size() > max) {
            problems.add(path, "has " + node.size() + " entries, at most " + max + " are allowed");
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            String p = Problems.child(path, e.getKey());
            String v = e.getValue().isTextual() ? e.getValue().textValue() : null;
            if (v == null) {
                problems.add(p, "must be a string (quote it), got " + describe(e.getValue()));
            } else if (v.length() > ProfileLimits.MAX_STRING_LENGTH) {
                problems.add(p, "is longer than " + ProfileLimits.MAX_STRING_LENGTH + " characters");
            } else {
                out.put(e.getKey(), v);
            }
        });
        return out;
    }

    private String string(JsonNode node, String path) {
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(path, "must be a string, got " + describe(node));
            return null;
        }
        String s = node.textValue();
        if (s.length() > ProfileLimits.MAX_STRING_LENGTH) {
            problems.add(path, "is " + s.length() + " characters long, at most " + ProfileLimits.MAX_STRING_LENGTH
                    + " are allowed");
            return null;
        }
        return s;
    }

    private Long integer(JsonNode node, String path) {
        if (absent(node)) {
            return null;
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                problems.add(path, "is far too large: " + Text.quote(node.asText()));
                return null;
            }
            return node.longValue();
        }
        problems.add(path, "must be a whole number, got " + describe(node));
        return null;
    }

    private Boolean bool(JsonNode node, String path) {
        if (absent(node)) {
            return null;
        }
        if (!node.isBoolean()) {
            problems.add(path, "must be true or false, got " + describe(node));
            return null;
        }
        return node.booleanValue();
    }

    private <E extends Enum<E>> E enumValue(JsonNode node, String path, Class<E> type) {
        String s = string(node, path);
        if (s == null) {
            return null;
        }
        return Wire.parse(type, s).orElseGet(() -> {
            String hint = Wire.parse(type, s.toLowerCase(Locale.ROOT)).isPresent() ? " (write it in lower case)" : "";
            problems.add(path, Text.quote(s) + " is not one of " + Wire.names(type) + hint);
            return null;
        });
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    static String describe(JsonNode node) {
        if (absent(node)) {
            return "null";
        }
        return switch (node.getNodeType()) {
            case OBJECT -> "a mapping";
            case ARRAY -> "a list";
            case STRING -> "the string " + Text.quote(node.textValue());
            case NUMBER -> "the number " + Text.oneLine(node.asText());
            case BOOLEAN -> "the boolean " + node.asText();
            default -> "a binary or tagged value";
        };
    }

    /** {@code  (did you mean "allowRoot"?)} for a near miss (case or up to two edits), else empty. */
    static String suggestion(String wrong, List<String> known) {
        if (wrong.length() > 64) {
            return "";
        }
        Function<String, Integer> distance = k -> editDistance(wrong.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
        return known.stream()
                .filter(k -> distance.apply(k) <= 2)
                .min((a, b) -> Integer.compare(distance.apply(a), distance.apply(b)))
                .map(k -> " (did you mean " + Text.quote(k) + "?)")
                .orElse("");
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
