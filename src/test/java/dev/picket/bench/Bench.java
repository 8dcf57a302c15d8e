package dev.picket.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Small shared helpers of the benchmark: statistics, JSON, files. */
final class Bench {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Bench() {
    }

    /** Median, quartiles, extremes and tail percentiles of a sample. */
    record Summary(int n, double median, double p25, double p75, double min, double max, double p95, double p99,
            double mean) {

        static Summary of(double[] values) {
            if (values.length == 0) {
                return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN);
            }
            double[] s = values.clone();
            Arrays.sort(s);
            double sum = 0;
            for (double v : s) {
                sum += v;
            }
            return new Summary(s.length, q(s, 0.5), q(s, 0.25), q(s, 0.75), s[0], s[s.length - 1], q(s, 0.95), q(s, 0.99),
                    sum / s.length);
        }

        static Summary of(List<Double> values) {
            return of(values.stream().mapToDouble(Double::doubleValue).toArray());
        }

        ObjectNode json() {
            ObjectNode o = JSON.createObjectNode();
            o.put("n", n);
            o.put("median", round(median));
            o.put("p25", round(p25));
            o.put("p75", round(p75));
            o.put("min", round(min));
            o.put("max", round(max));
            o.put("p95", round(p95));
            o.put("p99", round(p99));
            o.put("mean", round(mean));
            return o;
        }

        /** "12.3 [11.9–12.8] (11.0–15.2)": median, IQR, min–max. */
        String cell(int decimals) {
            if (n == 0) {
                return "–";
            }
            String f = "%." + decimals + "f";
            return String.format(Locale.ROOT, f + " [" + f + "–" + f + "] (" + f + "–" + f + ")", median, p25, p75, min, max);
        }
    }

    /** Linear interpolation between closest ranks. */
    static double q(double[] sorted, double p) {
        double idx = p * (sorted.length - 1);
        int lo = (int) Math.floor(idx);
        int hi = (int) Math.ceil(idx);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (idx - lo);
    }

    static double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        return Math.round(v * 1000) / 1000.0;
    }

    static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        if (array != null) {
            for (JsonNode v : array) {
                out.add(v.asDouble());
            }
        }
        return out;
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The 1-, 5- and 15-minute load averages. */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
    }

    /** Busy and total jiffies of all CPUs, from the first line of /proc/stat. */
    static long[] cpuJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            long idle = 0;
            for (int i = 1; i < f.length; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v; // idle and iowait
                }
            }
            return new long[] {total - idle, total};
        } catch (IOException e) {
            return new long[] {0, 1};
        }
    }

    /** utime+stime of a process in clock ticks, or -1 when it is gone. */
    static long cpuTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A field of /proc/PID/status or /proc/PID/smaps_rollup in kB, or -1. */
    static long kb(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
