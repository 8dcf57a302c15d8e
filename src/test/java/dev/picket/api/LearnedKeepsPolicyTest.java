package dev.picket.api;

import dev.picket.profile.ProcessRuleSpec;
import dev.picket.profile.ProcessesSpec;
import dev.picket.profile.Profile;
import dev.picket.profile.ProfileCompiler;
import dev.picket.profile.ProfileRenderer;
import dev.picket.profile.WorkloadProfileSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The learned profile carries what learning cannot know: the team's threat settings, actions and image policy. */
class LearnedKeepsPolicyTest {

    @Test
    void theLearnedDocumentKeepsTheActiveProfilesDecisions() {
        Profile active = ProfileCompiler.fromYaml("""
                apiVersion: picket.dev/v1alpha1
                kind: WorkloadProfile
                metadata: {name: shop}
                spec:
                  mode: learn
                  threats:
                    disable: [kube-api-contact]
                    exceptions:
                      - {rule: mining-pool, exe: /usr/bin/java, ports: [4444], reason: Selenium Grid hub}
                  actions: {process: kill, threat: quarantine}
                  podSecurity: enforce
                """.getBytes(StandardCharsets.UTF_8), "test", 1).orElseThrow();
        WorkloadProfileSpec learned = new WorkloadProfileSpec();
        learned.setProcesses(new ProcessesSpec(List.of(new ProcessRuleSpec("/usr/bin/java", null)), false));
        String yaml = ProfileRenderer.renderLearned("shop", ProfileResource.withPolicyOf(active, learned));
        Profile back = ProfileCompiler.fromYaml(yaml.getBytes(StandardCharsets.UTF_8), "learned", 2).orElseThrow();
        assertThat(yaml).contains("mode: enforce").contains("kube-api-contact").contains("Selenium Grid hub");
        assertThat(back.processAllowed("/usr/bin/java", null)).isTrue();
        assertThat(back.threatEnabled("kube-api-contact")).isFalse();
        assertThat(back.action(dev.picket.profile.ViolationKind.PROCESS)).isEqualTo(dev.picket.profile.ActionType.KILL);
        assertThat(back.action(dev.picket.profile.ViolationKind.THREAT)).isEqualTo(dev.picket.profile.ActionType.QUARANTINE);
        assertThat(back.toSpec().getThreats().getExceptions()).hasSize(1);
        assertThat(back.toSpec().getPodSecurity()).isEqualTo(active.toSpec().getPodSecurity());
    }
}
