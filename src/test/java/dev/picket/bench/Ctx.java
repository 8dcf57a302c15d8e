package dev.picket.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every section needs: where things are, the JVM and its flags, and how long to measure.
 *
 * @param repo       the repository (bench/ scripts, Dockerfile)
 * @param work       scratch directory for sandboxes, logs and state
 * @param java       the java launcher of the JDK under test
 * @param classpath  test classes, main classes and dependencies (for the in-sandbox mains)
 * @param app        the packaged sidecar's quarkus-app directory
 * @param floorApp   the floor app's quarkus-app directory (bench/floor-app)
 * @param imageFlags the Dockerfile's JVM flags
 * @param quick      shorter runs and fewer configurations, for development
 * @param baseline   the main classes of an earlier revision, measured alongside in the scan section, or null
 * @param baselineLabel what that revision is called in the report
 * @param nativeExecutable a native build of the sidecar, measured in the idle section too, or null
 */
record Ctx(Path repo, Path work, Path java, String classpath, Path app, Path floorApp, List<String> imageFlags,
        boolean quick, Path baseline, String baselineLabel, Path nativeExecutable) {

    /** The image's flags plus the pod emulation: what the sidecar's JVM runs with in a pod. */
    List<String> podFlags() {
        List<String> f = new ArrayList<>(imageFlags);
        f.addAll(JvmFlags.POD_EMULATION);
        return f;
    }

    /**
     * The pod flags without class-data-sharing archives, which belong to the packaged application's class
     * path: for the benchmark's own mains, which run the scanner and the judge on another class path.
     */
    List<String> mainFlags() {
        List<String> f = new ArrayList<>();
        for (String flag : podFlags()) {
            if (!flag.startsWith("-XX:SharedArchiveFile") && !flag.startsWith("-XX:AOTCache")
                    && !flag.startsWith("-Xshare") && !flag.contains("AutoCreateSharedArchive")) {
                f.add(flag);
            }
        }
        return f;
    }

    /** A java command line for a main class of the test classpath, with the sidecar's flags. */
    List<String> javaMain(List<String> flags, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(flags);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The class path with the baseline's main classes in place of the current ones. */
    String baselineClasspath() {
        String current = app.getParent().resolve("classes").toString();
        List<String> out = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            out.add(entry.equals(current) ? baseline.toString() : entry);
        }
        if (!out.contains(baseline.toString())) {
            throw new IllegalStateException("the class path does not hold " + current + " to replace");
        }
        return String.join(File.pathSeparator, out);
    }

    /** A java command line for a main class on the baseline's class path. */
    List<String> baselineMain(List<String> flags, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(javaMain(flags, mainClass, args));
        cmd.set(cmd.indexOf(classpath), baselineClasspath());
        return cmd;
    }

    Path log(String name) {
        return work.resolve("logs").resolve(name + ".log");
    }
}
