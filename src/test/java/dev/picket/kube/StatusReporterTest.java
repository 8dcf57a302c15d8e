package dev.picket.kube;

import dev.picket.profile.EgressRuleSpec;
import dev.picket.profile.NetworkSpec;
import dev.picket.profile.ProcessRuleSpec;
import dev.picket.profile.ProcessesSpec;
import dev.picket.profile.Protocol;
import dev.picket.profile.ResourcesSpec;
import dev.picket.profile.ViolationKind;
import dev.picket.profile.WorkloadProfile;
import dev.picket.profile.WorkloadProfileSpec;
import dev.picket.profile.WorkloadProfileStatus;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Two replicas writing one profile's status against the mock API server: nothing one writes is lost. */
class StatusReporterTest {

    private KubernetesServer server;
    private KubernetesClient client;

    @BeforeEach
    void mock() {
        server = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
        server.before();
        client = server.getClient();
        WorkloadProfileSpec spec = new WorkloadProfileSpec();
        spec.setSelector(new LabelSelectorBuilder().addToMatchLabels("app", "web").build());
        WorkloadProfile wp = WorkloadProfile.of("web", spec);
        wp.getMetadata().setNamespace("shop");
        client.resource(wp).create();
        for (String pod : List.of("web-1", "web-2")) {
            client.resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace("shop").endMetadata().build())
                    .create();
        }
    }

    @AfterEach
    void stop() {
        server.after();
    }

    /** One simulated replica: its own counters, learner output and quarantine flag. */
    static final class Replica {
        final Map<ViolationKind, Long> counts = new EnumMap<>(ViolationKind.class);
        final AtomicBoolean quarantined = new AtomicBoolean();
        volatile WorkloadProfileSpec learned;
        final StatusReporter reporter;

        Replica(String pod, KubernetesClient client) {
            for (ViolationKind k : ViolationKind.values()) {
                counts.put(k, 0L);
            }
            // a queue that is never started: the test makes the writes itself, in the order it wants
            KubeQueue idle = new KubeQueue(client, 64, Duration.ofMillis(10), Duration.ofMillis(10), new SimpleMeterRegistry());
            reporter = new StatusReporter(new PodIdentity("shop", pod, Optional.empty(), Optional.empty()),
                    idle, Clock.systemUTC(), Duration.ZERO, this::snapshot, quarantined::get, () -> learned);
            reporter.use(client.resources(WorkloadProfile.class).inNamespace("shop").withName("web").get(), true,
                    "Valid", "in force");
        }

        synchronized Map<ViolationKind, Long> snapshot() {
            return new EnumMap<>(counts);
        }

        void write(KubernetesClient c) {
            reporter.new Write("web", true).deliver(c);
        }
    }

    static WorkloadProfileSpec learned(String exe, String cidr, int port, int threads, String memory) {
        WorkloadProfileSpec s = new WorkloadProfileSpec();
        s.setProcesses(new ProcessesSpec(List.of(new ProcessRuleSpec(exe, null)), false));
        s.setNetwork(new NetworkSpec(List.of(new EgressRuleSpec(cidr, List.of(port), Protocol.TCP)), List.of()));
        ResourcesSpec r = new ResourcesSpec();
        r.setThreads(threads);
        r.setMemory(new Quantity(memory));
        s.setResources(r);
        return s;
    }

    private WorkloadProfileStatus status() {
        return client.resources(WorkloadProfile.class).inNamespace("shop").withName("web").get().getStatus();
    }

    @Test
    void interleavedWritesOfTwoReplicasLoseNothing() {
        Replica one = new Replica("web-1", client);
        Replica two = new Replica("web-2", client);
        one.counts.put(ViolationKind.PROCESS, 3L);
        one.counts.put(ViolationKind.THREAT, 1L);
        one.learned = learned("/usr/bin/python3", "10.0.0.1/32", 5432, 40, "300Mi");
        one.quarantined.set(true);
        two.counts.put(ViolationKind.PROCESS, 2L);
        two.counts.put(ViolationKind.EGRESS, 5L);
        two.learned = learned("/usr/local/bin/gunicorn", "10.0.0.2/32", 6379, 90, "200Mi");

        // replica one reads, then replica two writes completely, then one tries to write what it read: conflict
        AtomicInteger oneAttempts = new AtomicInteger();
        one.reporter.beforeWrite = () -> {
            if (oneAttempts.incrementAndGet() == 1) {
                two.write(client);
            }
        };
        one.write(client);

        assertThat(oneAttempts.get()).as("the first write of replica one was refused (409) and redone").isEqualTo(2);
        WorkloadProfileStatus s = status();
        assertThat(s.getPods()).containsExactly("web-1", "web-2");
        assertThat(s.getPodCount()).isEqualTo(2);
        assertThat(s.getQuarantinedPods()).containsExactly("web-1");
        assertThat(s.getViolations()).containsEntry("process", 5L).containsEntry("egress", 5L).containsEntry("threat", 1L);
        assertThat(s.getViolationsTotal()).isEqualTo(11L);
        assertThat(s.getLearned().getProcesses().getAllow()).extracting(ProcessRuleSpec::getExe)
                .containsExactly("/usr/bin/python3", "/usr/local/bin/gunicorn");
        assertThat(s.getLearned().getNetwork().getEgress()).extracting(EgressRuleSpec::getCidr)
                .containsExactly("10.0.0.1/32", "10.0.0.2/32");
        assertThat(s.getLearned().getResources().getThreads()).isEqualTo(90);
        assertThat(s.getLearned().getResources().getMemory()).isEqualTo(new Quantity("300Mi"));

        // more violations later are added as deltas: written again, nothing counted twice
        two.counts.put(ViolationKind.PROCESS, 4L);
        one.reporter.beforeWrite = () -> two.write(client); // every attempt of one races with two
        two.write(client);
        one.counts.put(ViolationKind.LISTEN, 1L);
        one.reporter.beforeWrite = () -> { };
        one.write(client);
        one.write(client);
        assertThat(status().getViolations()).containsEntry("process", 7L).containsEntry("listen", 1L);
        assertThat(status().getViolationsTotal()).isEqualTo(14L);
    }

    @Test
    void manyConcurrentRacesStillAddUp() throws Exception {
        Replica one = new Replica("web-1", client);
        Replica two = new Replica("web-2", client);
        Thread[] threads = new Thread[2];
        Replica[] replicas = {one, two};
        for (int t = 0; t < 2; t++) {
            Replica r = replicas[t];
            threads[t] = Thread.ofPlatform().start(() -> {
                for (int i = 1; i <= 15; i++) {
                    synchronized (r) {
                        r.counts.merge(ViolationKind.RESOURCE, 1L, Long::sum);
                    }
                    // what the queue does: a write that lost every race of its attempts is tried again
                    while (true) {
                        try {
                            r.write(client);
                            break;
                        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                            assertThat(e.getCode()).isEqualTo(409);
                        }
                    }
                }
            });
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertThat(status().getViolations()).containsEntry("resource", 30L);
        assertThat(status().getPods()).containsExactly("web-1", "web-2");
    }

    @Test
    void aPodThatLeavesIsRemovedAndGonePodsArePruned() {
        Replica one = new Replica("web-1", client);
        Replica two = new Replica("web-2", client);
        one.write(client);
        two.write(client);
        assertThat(status().getPods()).containsExactly("web-1", "web-2");
        two.reporter.new Write("web", false).deliver(client);
        assertThat(status().getPods()).containsExactly("web-1");

        two.write(client);
        client.pods().inNamespace("shop").withName("web-2").delete();
        Replica three = new Replica("web-3", client);
        three.write(client);
        assertThat(status().getPods()).as("web-2 no longer exists").containsExactly("web-1", "web-3");
    }

    @Test
    void theAcceptedConditionFollowsTheNewestGeneration() {
        Replica one = new Replica("web-1", client);
        WorkloadProfile wp = client.resources(WorkloadProfile.class).inNamespace("shop").withName("web").get();
        wp.getMetadata().setGeneration(4L);
        one.reporter.use(wp, false, "Invalid", "spec.network.egress[0].cidr: bad");
        one.write(client);
        assertThat(status().getObservedGeneration()).isEqualTo(4L);
        assertThat(status().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Accepted");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getMessage()).contains("egress[0].cidr");
        });
        Replica late = new Replica("web-2", client);
        wp.getMetadata().setGeneration(3L);
        late.reporter.use(wp, true, "Valid", "generation 3");
        late.write(client);
        assertThat(status().getConditions()).singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
        assertThat(status().getObservedGeneration()).isEqualTo(4L);
    }

    @Test
    void learningUnitesAndKeepsTheHighestCeilings() {
        WorkloadProfileSpec a = learned("/bin/a", "10.0.0.1/32", 1, 10, "1Gi");
        WorkloadProfileSpec b = learned("/bin/b", "10.0.0.1/32", 1, 20, "512Mi");
        WorkloadProfileSpec ab = LearnedUnion.union(a, b);
        assertThat(ab).isEqualTo(LearnedUnion.union(b, a));
        assertThat(LearnedUnion.union(ab, a)).isEqualTo(ab);
        assertThat(ab.getResources().getThreads()).isEqualTo(20);
        assertThat(ab.getResources().getMemory()).isEqualTo(new Quantity("1Gi"));
        assertThat(ab.getNetwork().getEgress()).hasSize(1);
        assertThat(StatusMerge.fold(null, new StatusMerge.Share("p", true, false, Map.of(), null, null, null), Set.of())
                .getPods()).containsExactly("p");
    }
}
