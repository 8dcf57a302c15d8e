package dev.picket.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine the figures came from. */
final class Machine {

    private Machine() {
    }

    static ObjectNode describe(Path java) {
        ObjectNode o = Bench.JSON.createObjectNode();
        String model = "unknown";
        boolean hypervisor = false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && model.equals("unknown")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                }
                if (line.startsWith("flags") && line.contains(" hypervisor")) {
                    hypervisor = true;
                }
            }
        } catch (IOException e) {
            // leave unknown
        }
        o.put("cpuModel", model);
        o.put("virtualMachine", hypervisor);
        o.put("cores", Runtime.getRuntime().availableProcessors());
        o.put("kernel", read("/proc/sys/kernel/osrelease"));
        o.put("os", osName());
        o.put("memoryMiB", Bench.kb(Path.of("/proc/meminfo"), "MemTotal") / 1024);
        o.put("jdk", jdkVersion(java));
        o.put("openFilesLimit", openFilesLimit());
        return o;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path)).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring(12).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "unknown";
    }

    private static String jdkVersion(Path java) {
        try {
            Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
            p.waitFor();
            return lines.size() > 1 ? lines.get(1).trim() : String.join(" ", lines);
        } catch (IOException | InterruptedException e) {
            return System.getProperty("java.vm.version");
        }
    }

    private static String openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring(14).trim().split("\\s+");
                    return f[0] + "/" + f[1];
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "unknown";
    }
}
