package dev.picket.observe;

/**
 * Parses /proc/PID/stat. The comm field may hold spaces and parentheses, so it is taken from the first
 * '(' to the last ')', and the numeric fields are counted from there.
 */
final class StatParser {

    /** Fields that a new program image changes: startcode, endcode, startstack, arg and env areas. */
    private static final int[] EXEC_FIELDS = {26, 27, 28, 48, 49, 50, 51};

    private StatParser() {
    }

    static StatFields parse(byte[] b, int len) {
        int open = -1;
        for (int i = 0; i < len; i++) {
            if (b[i] == '(') {
                open = i;
                break;
            }
        }
        int close = -1;
        for (int i = len - 1; i > open; i--) {
            if (b[i] == ')') {
                close = i;
                break;
            }
        }
        if (open < 1 || close < 0 || close + 2 >= len) {
            throw new IllegalArgumentException("malformed stat: no comm field");
        }
        int pid = (int) ProcFiles.parseLong(b, 0, open);
        String comm = SafeText.decode(b, open + 1, close);
        // field 3 (state) starts two bytes after ')'
        int[] starts = new int[53];
        int field = 3;
        int i = close + 2;
        starts[field] = i;
        while (i < len && field < 52) {
            if (b[i] == ' ') {
                field++;
                starts[field] = i + 1;
            }
            i++;
        }
        if (field < 24) {
            throw new IllegalArgumentException("malformed stat: only " + field + " fields");
        }
        char state = (char) b[starts[3]];
        int ppid = (int) num(b, starts, 4, len, field);
        int tty = (int) num(b, starts, 7, len, field);
        long utime = num(b, starts, 14, len, field);
        long stime = num(b, starts, 15, len, field);
        int threads = (int) num(b, starts, 20, len, field);
        long start = num(b, starts, 22, len, field);
        long rss = num(b, starts, 24, len, field);
        long signature = 17;
        for (int f : EXEC_FIELDS) {
            signature = signature * 1_000_003L + num(b, starts, f, len, field);
        }
        signature = signature * 31 + comm.hashCode();
        return new StatFields(pid, comm, state, ppid, tty, utime, stime, threads, start, rss, signature,
                num(b, starts, 50, len, field), num(b, starts, 51, len, field));
    }

    private static long num(byte[] b, int[] starts, int f, int len, int last) {
        if (f > last) {
            return 0;
        }
        return ProcFiles.parseLong(b, starts[f], len);
    }
}
