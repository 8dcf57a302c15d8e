package dev.picket.kube;

import dev.picket.profile.WorkloadProfileSpec;
import dev.picket.profile.WorkloadProfileStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One replica's share of a WorkloadProfile's status, folded into what the API server holds. Pure. Every
 * field is merged so that replicas never undo each other: each adds or removes only its own pod name, adds
 * only the violations it has not reported yet (a delta, so counts of all replicas add up), and unites its
 * learning with what is there. Applied under optimistic concurrency ({@link StatusReporter}), a lost race
 * means re-reading and folding again, never overwriting another replica's share.
 */
final class StatusMerge {

    static final String ACCEPTED = "Accepted";

    private StatusMerge() {
    }

    /**
     * @param pod             this replica's pod name
     * @param watching        whether this pod uses the profile (false: it stopped, remove it)
     * @param quarantined     whether this pod is quarantined
     * @param violationDelta  violations by kind not reported yet
     * @param learned         what this replica learned, or null
     * @param generation      {@code metadata.generation} of the spec this replica judged, or null
     * @param accepted        the Accepted condition for that generation, or null
     */
    record Share(String pod, boolean watching, boolean quarantined, Map<String, Long> violationDelta,
            WorkloadProfileSpec learned, Long generation, Condition accepted) {
    }

    static WorkloadProfileStatus fold(WorkloadProfileStatus current, Share share, Set<String> gonePods) {
        WorkloadProfileStatus in = current == null ? new WorkloadProfileStatus() : current;
        WorkloadProfileStatus out = new WorkloadProfileStatus();

        TreeSet<String> pods = names(in.getPods(), gonePods);
        set(pods, share.pod(), share.watching());
        out.setPods(List.copyOf(pods));
        out.setPodCount(pods.size());

        TreeSet<String> quarantined = names(in.getQuarantinedPods(), gonePods);
        set(quarantined, share.pod(), share.watching() && share.quarantined());
        out.setQuarantinedPods(List.copyOf(quarantined));

        TreeMap<String, Long> violations = new TreeMap<>();
        if (in.getViolations() != null) {
            in.getViolations().forEach((k, v) -> violations.put(k, v == null ? 0 : v));
        }
        share.violationDelta().forEach((k, v) -> {
            if (v != null && v > 0) {
                violations.merge(k, v, Long::sum);
            }
        });
        out.setViolations(violations);
        out.setViolationsTotal(violations.values().stream().mapToLong(Long::longValue).sum());

        out.setLearned(share.learned() == null ? in.getLearned() : LearnedUnion.union(in.getLearned(), share.learned()));

        Long observed = in.getObservedGeneration();
        boolean current0 = share.generation() != null && (observed == null || share.generation() >= observed);
        out.setObservedGeneration(current0 ? share.generation() : observed);

        List<Condition> conditions = new ArrayList<>(in.getConditions() == null ? List.of() : in.getConditions());
        if (share.accepted() != null && current0) {
            Condition previous = conditions.stream().filter(c -> ACCEPTED.equals(c.getType())).findFirst().orElse(null);
            Condition next = new ConditionBuilder(share.accepted()).build();
            if (previous != null && Objects.equals(previous.getStatus(), next.getStatus())
                    && previous.getLastTransitionTime() != null) {
                next.setLastTransitionTime(previous.getLastTransitionTime());
            }
            conditions.removeIf(c -> ACCEPTED.equals(c.getType()));
            conditions.add(next);
        }
        out.setConditions(conditions.isEmpty() ? null : conditions);
        return out;
    }

    private static TreeSet<String> names(List<String> in, Set<String> gone) {
        TreeSet<String> out = new TreeSet<>();
        if (in != null) {
            in.stream().filter(Objects::nonNull).filter(n -> !gone.contains(n)).forEach(out::add);
        }
        return out;
    }

    private static void set(TreeSet<String> names, String name, boolean present) {
        if (present) {
            names.add(name);
        } else {
            names.remove(name);
        }
    }
}
