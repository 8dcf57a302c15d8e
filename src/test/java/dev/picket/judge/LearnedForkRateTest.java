package dev.picket.judge;

import dev.picket.observe.ProcessSample;
import dev.picket.profile.WorkloadProfileSpec;
import dev.picket.profile.learn.Learner;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fork rate over the judge's one-minute window is unknown for the first 12 s. A learning window that
 * ended before it was known learned no rate, and wrote {@code forksPerMinute: 30} (nothing plus the
 * minimum headroom): BenignWorkloadsLocalTest's pre-forking server, recycling a worker every few seconds,
 * then raised fork-burst (threshold 90) and the forks-per-minute ceiling under its own learned profile.
 */
class LearnedForkRateTest {

    private static WorkloadProfileSpec learn(double... forksPerMinute) {
        Learner learner = new Learner(1.5, (kind, time) -> { });
        ProcessSample p = Samples.process(7, "python3", "/usr/bin/python3.11", 0, Set.of(), "python3", "app.py");
        for (int i = 0; i < forksPerMinute.length; i++) {
            var snapshot = Samples.snapshot(i + 1, List.of(p));
            learner.observe(snapshot, new Verdict(List.of(), Set.of(), Set.of(), forksPerMinute[i]), JudgeContext.NONE,
                    forksPerMinute[i]);
        }
        return learner.spec();
    }

    @Test
    void aRateNeverMeasuredIsNotLearned() {
        WorkloadProfileSpec spec = learn(Double.NaN, Double.NaN, Double.NaN);
        assertThat(spec.getResources()).isNotNull();
        assertThat(spec.getResources().getForksPerMinute()).as("no ceiling: fork-burst keeps its default").isNull();
        assertThat(spec.getResources().getProcesses()).as("the other peaks are learned").isNotNull();
    }

    @Test
    void aMeasuredRateIsLearnedWithHeadroom() {
        assertThat(learn(Double.NaN, 40, 100, 60).getResources().getForksPerMinute()).isEqualTo(150);
        assertThat(learn(Double.NaN, 0, 0).getResources().getForksPerMinute()).as("a quiet workload").isEqualTo(30);
    }
}
