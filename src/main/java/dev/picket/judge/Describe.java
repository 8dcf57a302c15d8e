package dev.picket.judge;

import dev.picket.observe.ProcessSample;

/** Short, readable names for processes in violation details. */
final class Describe {

    private Describe() {
    }

    static String process(ProcessSample p) {
        if (p == null) {
            return "an unknown process";
        }
        String exe = p.exe() != null ? p.exe().path() : p.comm();
        return exe + " (pid " + p.pid() + ")";
    }

    static String parent(ProcessSample p) {
        return p.parentExe() != null ? p.parentExe() : "a parent outside the watched scope";
    }
}
