package dev.picket.kube;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The delivery queue against the mock API server behind a relay that can go down and come back. */
class KubeQueueTest {

    private KubernetesServer server;
    private KubernetesClient mock;
    private TcpProxy proxy;
    private KubernetesClient client;
    private SimpleMeterRegistry registry;

    @BeforeEach
    void relay() throws Exception {
        server = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
        server.before();
        mock = server.getClient();
        proxy = new TcpProxy(server.getKubernetesMockServer().getPort());
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + proxy.port())
                .withRequestTimeout(2000).withConnectionTimeout(500).withRequestRetryBackoffLimit(0).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        proxy.close();
        server.after();
    }

    private KubeQueue.Delivery configMap(String name, AtomicInteger attempts) {
        return new KubeQueue.Delivery() {
            public String key() {
                return null;
            }

            public String what() {
                return "ConfigMap " + name;
            }

            public void deliver(KubernetesClient c) {
                attempts.incrementAndGet();
                c.configMaps().inNamespace("q").resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                        .endMetadata().build()).create();
            }
        };
    }

    private double dropped(String reason) {
        return registry.counter("picket.kube.dropped", "reason", reason).count();
    }

    @Test
    void whatIsQueuedWhileTheApiServerIsDownIsDeliveredWhenItIsBack() throws Exception {
        KubeQueue queue = new KubeQueue(client, 16, Duration.ofMillis(50), Duration.ofMillis(400), registry);
        queue.start();
        try {
            proxy.down();
            AtomicInteger attempts = new AtomicInteger();
            for (int i = 0; i < 5; i++) {
                assertThat(queue.offer(configMap("down-" + i, attempts))).isTrue();
            }
            Thread.sleep(1500);
            assertThat(attempts.get()).as("the head is retried with backoff, not hammered").isBetween(2, 12);
            assertThat(queue.depth()).isEqualTo(5);
            assertThat(queue.reachable()).isFalse();
            assertThat(mock.configMaps().inNamespace("q").list().getItems()).isEmpty();

            proxy.up();
            assertThat(queue.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(mock.configMaps().inNamespace("q").list().getItems()).extracting(c -> c.getMetadata().getName())
                    .containsExactly("down-0", "down-1", "down-2", "down-3", "down-4");
            assertThat(queue.reachable()).isTrue();
            assertThat(dropped("queue_full") + dropped("rejected")).isZero();
        } finally {
            queue.stop();
        }
    }

    @Test
    void aFullQueueCountsWhatItDropsAndACriticalDeliveryMakesRoom() throws Exception {
        KubeQueue queue = new KubeQueue(client, 4, Duration.ofMillis(50), Duration.ofMillis(200), registry);
        proxy.down();
        queue.start();
        try {
            AtomicInteger attempts = new AtomicInteger();
            for (int i = 0; i < 10; i++) {
                queue.offer(configMap("full-" + i, attempts));
            }
            assertThat(queue.depth()).isEqualTo(4);
            assertThat(dropped("queue_full")).isEqualTo(6);

            AtomicInteger critical = new AtomicInteger();
            assertThat(queue.offer(new KubeQueue.Delivery() {
                public String key() {
                    return "label";
                }

                public String what() {
                    return "the label";
                }

                public boolean critical() {
                    return true;
                }

                public void deliver(KubernetesClient c) {
                    critical.incrementAndGet();
                }
            })).isTrue();
            assertThat(dropped("queue_full")).as("the newest event made room for the label").isEqualTo(7);

            proxy.up();
            assertThat(queue.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(critical.get()).isEqualTo(1);
        } finally {
            queue.stop();
        }
    }

    @Test
    void deliveriesWithOneKeyCoalesceAndARefusalIsDroppedNotRetried() throws Exception {
        KubeQueue queue = new KubeQueue(client, 8, Duration.ofMillis(50), Duration.ofMillis(200), registry);
        proxy.down();
        queue.start();
        try {
            AtomicInteger last = new AtomicInteger();
            for (int i = 1; i <= 20; i++) {
                int v = i;
                queue.offer(new KubeQueue.Delivery() {
                    public String key() {
                        return "status:web";
                    }

                    public String what() {
                        return "status " + v;
                    }

                    public void deliver(KubernetesClient c) {
                        c.configMaps().inNamespace("q").withName("probe").get();
                        last.set(v);
                    }
                });
            }
            assertThat(queue.depth()).isEqualTo(1);
            AtomicInteger refused = new AtomicInteger();
            queue.offer(new KubeQueue.Delivery() {
                public String key() {
                    return null;
                }

                public String what() {
                    return "an invalid object";
                }

                public void deliver(KubernetesClient c) {
                    refused.incrementAndGet();
                    throw new io.fabric8.kubernetes.client.KubernetesClientException("invalid", 422, null);
                }
            });
            proxy.up();
            assertThat(queue.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(last.get()).as("only the newest status is written").isEqualTo(20);
            assertThat(refused.get()).isEqualTo(1);
            assertThat(dropped("rejected")).isEqualTo(1);
        } finally {
            queue.stop();
        }
    }
}
