package dev.picket.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the machine was otherwise idle: the load average and the CPU busy share before the benchmark
 * (nothing of it running) and, sampled every few seconds, during each section (which includes the
 * benchmark's own load, so "during" is an upper bound of what others did).
 */
final class Load implements AutoCloseable {

    private final Map<String, List<double[]>> during = new LinkedHashMap<>();
    private final Thread sampler;
    private volatile String section = "start";
    private volatile boolean stop;
    private ObjectNode before;

    Load() {
        sampler = Thread.ofPlatform().daemon().name("load-sampler").start(() -> {
            while (!stop) {
                sample(section);
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Measures the quiet machine for {@code seconds}: load average and busy share of all CPUs. */
    ObjectNode measureBefore(int seconds) {
        double[] la = Bench.loadAverage();
        long[] a = Bench.cpuJiffies();
        Bench.sleep(seconds * 1000L);
        long[] b = Bench.cpuJiffies();
        before = Bench.JSON.createObjectNode();
        before.put("load1", la[0]);
        before.put("load5", la[1]);
        before.put("load15", la[2]);
        before.put("cpuBusyShare", Bench.round((b[0] - a[0]) / (double) Math.max(1, b[1] - a[1])));
        before.put("probeSeconds", seconds);
        return before;
    }

    /** Waits up to {@code maxSeconds} for the 1-minute load average to fall below {@code threshold}. */
    boolean waitQuiet(double threshold, int maxSeconds) {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        boolean announced = false;
        while (Bench.loadAverage()[0] >= threshold) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            if (!announced) {
                System.out.printf("waiting up to %d s for the load average to fall below %.2f (now %.2f)%n", maxSeconds,
                        threshold, Bench.loadAverage()[0]);
                announced = true;
            }
            Bench.sleep(10_000);
        }
        return true;
    }

    void section(String name) {
        section = name;
        sample(name);
    }

    synchronized void sample(String name) {
        during.computeIfAbsent(name, k -> new ArrayList<>()).add(Bench.loadAverage());
    }

    synchronized ObjectNode json() {
        ObjectNode o = Bench.JSON.createObjectNode();
        o.set("before", before);
        ObjectNode d = o.putObject("during");
        for (Map.Entry<String, List<double[]>> e : during.entrySet()) {
            List<Double> one = e.getValue().stream().map(v -> v[0]).toList();
            ObjectNode s = d.putObject(e.getKey());
            Bench.Summary sum = Bench.Summary.of(one);
            s.put("load1Min", sum.min());
            s.put("load1Median", sum.median());
            s.put("load1Max", sum.max());
            s.put("samples", sum.n());
        }
        return o;
    }

    @Override
    public void close() {
        stop = true;
        sampler.interrupt();
    }

    static ArrayNode array(double[] v) {
        ArrayNode a = Bench.JSON.createArrayNode();
        for (double d : v) {
            a.add(d);
        }
        return a;
    }
}
