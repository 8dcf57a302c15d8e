package dev.picket.profile.learn;

import dev.picket.profile.NetworkSpec;
import dev.picket.profile.ProcessesSpec;
import dev.picket.profile.ProfileRenderer;
import dev.picket.profile.WorkloadProfileSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Adds what was learned to a profile when learning ends: allowlists are united, the profile's own
 * ceilings win over learned ones, and everything else (actions, threats, selector) stays the profile's.
 */
public final class LearnedMerge {

    private LearnedMerge() {
    }

    public static WorkloadProfileSpec merge(WorkloadProfileSpec base, WorkloadProfileSpec learned) {
        WorkloadProfileSpec out = ProfileRenderer.canonical(base);
        ProcessesSpec bp = out.getProcesses() == null ? new ProcessesSpec() : out.getProcesses();
        ProcessesSpec lp = learned.getProcesses() == null ? new ProcessesSpec() : learned.getProcesses();
        out.setProcesses(new ProcessesSpec(union(bp.getAllow(), lp.getAllow()),
                Boolean.TRUE.equals(bp.getAllowRoot()) || Boolean.TRUE.equals(lp.getAllowRoot())));
        NetworkSpec bn = out.getNetwork() == null ? new NetworkSpec() : out.getNetwork();
        NetworkSpec ln = learned.getNetwork() == null ? new NetworkSpec() : learned.getNetwork();
        out.setNetwork(new NetworkSpec(union(bn.getEgress(), ln.getEgress()), union(bn.getListen(), ln.getListen())));
        if (out.getResources() == null) {
            out.setResources(learned.getResources());
        }
        return ProfileRenderer.canonical(out);
    }

    private static <T> List<T> union(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>();
        if (a != null) {
            out.addAll(a);
        }
        if (b != null) {
            for (T t : b) {
                if (!out.contains(t)) {
                    out.add(t);
                }
            }
        }
        return out;
    }
}
