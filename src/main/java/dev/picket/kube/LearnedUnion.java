package dev.picket.kube;

import dev.picket.profile.Mode;
import dev.picket.profile.ProcessesSpec;
import dev.picket.profile.ProfileRenderer;
import dev.picket.profile.ResourcesSpec;
import dev.picket.profile.WorkloadProfileSpec;
import dev.picket.profile.learn.LearnedMerge;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.function.BinaryOperator;

/**
 * What several replicas learned, as one profile: allowlists united (through {@link LearnedMerge}), root allowed
 * when any replica saw it, each resource ceiling the highest any replica learned, {@code mode: enforce} as in
 * {@code GET /v1/profile/learned}. Commutative and idempotent, so replicas can fold their own learning into
 * the status in any order, any number of times.
 */
final class LearnedUnion {

    private LearnedUnion() {
    }

    static WorkloadProfileSpec union(WorkloadProfileSpec a, WorkloadProfileSpec b) {
        if (a == null && b == null) {
            return null;
        }
        WorkloadProfileSpec left = a == null ? new WorkloadProfileSpec() : a;
        WorkloadProfileSpec right = b == null ? new WorkloadProfileSpec() : b;
        WorkloadProfileSpec lists = LearnedMerge.merge(strip(left), strip(right));
        WorkloadProfileSpec out = ProfileRenderer.canonical(lists);
        out.setResources(resources(left.getResources(), right.getResources()));
        if (out.getProcesses() == null && (allowRoot(left) || allowRoot(right))) {
            out.setProcesses(new ProcessesSpec(null, true));
        }
        out.setMode(Mode.ENFORCE);
        return ProfileRenderer.canonical(out);
    }

    private static boolean allowRoot(WorkloadProfileSpec s) {
        return s.getProcesses() != null && Boolean.TRUE.equals(s.getProcesses().getAllowRoot());
    }

    /** Only what learning produces: allowlists (resources are united separately). */
    private static WorkloadProfileSpec strip(WorkloadProfileSpec s) {
        WorkloadProfileSpec out = new WorkloadProfileSpec();
        out.setProcesses(s.getProcesses());
        out.setNetwork(s.getNetwork());
        return out;
    }

    private static ResourcesSpec resources(ResourcesSpec a, ResourcesSpec b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        ResourcesSpec r = new ResourcesSpec();
        r.setCpuCores(max(a.getCpuCores(), b.getCpuCores(), Math::max));
        r.setMemory(max(a.getMemory(), b.getMemory(),
                (x, y) -> Quantity.getAmountInBytes(x).compareTo(Quantity.getAmountInBytes(y)) >= 0 ? x : y));
        r.setProcesses(max(a.getProcesses(), b.getProcesses(), Math::max));
        r.setThreads(max(a.getThreads(), b.getThreads(), Math::max));
        r.setOpenFiles(max(a.getOpenFiles(), b.getOpenFiles(), Math::max));
        r.setForksPerMinute(max(a.getForksPerMinute(), b.getForksPerMinute(), Math::max));
        r.setSustain(a.getSustain() != null ? a.getSustain() : b.getSustain());
        return r;
    }

    private static <T> T max(T a, T b, BinaryOperator<T> pick) {
        return a == null ? b : b == null ? a : pick.apply(a, b);
    }
}
