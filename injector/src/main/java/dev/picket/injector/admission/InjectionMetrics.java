package dev.picket.injector.admission;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.picket.injector.mutate.SkipReason;
import dev.picket.injector.policy.Finding;
import dev.picket.injector.policy.FindingRule;
import dev.picket.injector.policy.PolicyAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * The injector's metrics. Every label value is registered up front: the label sets are bounded
 * (enums), and a series that exists at zero lets alerts use rate() without "absent" special cases.
 */
@Singleton
@Startup // registered at start-up, not at the first request, so every series is scrapeable from the beginning
public class InjectionMetrics {

    private final Map<AdmissionResult, Counter> requests = new EnumMap<>(AdmissionResult.class);
    private final Map<SkipReason, Counter> skips = new EnumMap<>(SkipReason.class);
    private final Map<FindingRule, Map<PolicyAction, Counter>> findings = new EnumMap<>(FindingRule.class);
    private final Timer duration;

    @Inject
    public InjectionMetrics(MeterRegistry registry) {
        for (AdmissionResult result : AdmissionResult.values()) {
            requests.put(result, Counter.builder("picket.injector.requests")
                    .description("Admission requests answered, by result")
                    .tag("result", result.label())
                    .register(registry));
        }
        for (SkipReason reason : SkipReason.values()) {
            skips.put(reason, Counter.builder("picket.injector.skips")
                    .description("Pods admitted without the sidecar on purpose, by reason code")
                    .tag("reason", reason.code())
                    .register(registry));
        }
        for (FindingRule rule : FindingRule.values()) {
            Map<PolicyAction, Counter> byAction = new EnumMap<>(PolicyAction.class);
            for (PolicyAction action : PolicyAction.values()) {
                byAction.put(action, Counter.builder("picket.injector.policy.findings")
                        .description("Findings of the image policy and the pod-security gate, by rule and action")
                        .tag("rule", rule.code())
                        .tag("action", action.wire())
                        .register(registry));
            }
            findings.put(rule, byAction);
        }
        duration = Timer.builder("picket.injector.duration")
                .description("Time to answer an admission request")
                // Explicit buckets around the API server's webhook timeout (10 s by default), for SLOs.
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(10))
                .register(registry);
    }

    public void record(AdmissionResult result, SkipReason skip, java.util.List<Finding> found, long nanos) {
        requests.get(result).increment();
        for (Finding f : found) {
            findings.get(f.rule()).get(f.action()).increment();
        }
        if (skip != null) {
            skips.get(skip).increment();
        }
        duration.record(Duration.ofNanos(nanos));
    }
}
