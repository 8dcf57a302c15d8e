package dev.picket.observe;

/** Namespace inode numbers of a process; 0 when Picket may not read the link. */
public record Namespaces(long pid, long net, long mnt, long user) {

    public static final Namespaces UNKNOWN = new Namespaces(0, 0, 0, 0);

    static long parse(String link) {
        int open = link.indexOf('[');
        int close = link.indexOf(']', open + 1);
        if (open < 0 || close < 0) {
            return 0;
        }
        try {
            return Long.parseLong(link, open + 1, close, 10);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
