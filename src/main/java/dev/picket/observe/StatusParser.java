package dev.picket.observe;

/** Parses the "Key:\tvalue" lines of /proc/PID/status that Picket needs. */
final class StatusParser {

    private StatusParser() {
    }

    static StatusFields parse(byte[] b, int len) {
        Ids uid = Ids.UNKNOWN;
        Ids gid = Ids.UNKNOWN;
        int tracer = 0;
        long capEff = 0;
        int line = 0;
        while (line < len) {
            int end = line;
            while (end < len && b[end] != '\n') {
                end++;
            }
            if (startsWith(b, line, end, "Uid:")) {
                uid = ids(b, line + 4, end);
            } else if (startsWith(b, line, end, "Gid:")) {
                gid = ids(b, line + 4, end);
            } else if (startsWith(b, line, end, "TracerPid:")) {
                tracer = (int) ProcFiles.parseLong(b, skipSpace(b, line + 10, end), end);
            } else if (startsWith(b, line, end, "CapEff:")) {
                capEff = hex(b, skipSpace(b, line + 7, end), end);
            }
            line = end + 1;
        }
        return new StatusFields(uid, gid, tracer, capEff);
    }

    private static Ids ids(byte[] b, int from, int to) {
        long[] v = new long[4];
        int i = from;
        for (int k = 0; k < 4; k++) {
            i = skipSpace(b, i, to);
            v[k] = ProcFiles.parseLong(b, i, to);
            while (i < to && b[i] != '\t' && b[i] != ' ') {
                i++;
            }
        }
        return new Ids((int) v[0], (int) v[1], (int) v[2], (int) v[3]);
    }

    private static long hex(byte[] b, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                break;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static int skipSpace(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean startsWith(byte[] b, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (b[from + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
