package dev.picket.observe;

/**
 * The resolved executable of a process as /proc/PID/exe names it, keeping the kernel's own forms: a
 * binary removed after start ends in " (deleted)", a memfd executable starts with "/memfd:".
 */
public record Executable(String raw, String path, boolean deleted, boolean memfd) {

    public static final String DELETED_SUFFIX = " (deleted)";

    static Executable of(String link) {
        boolean deleted = link.endsWith(DELETED_SUFFIX);
        String path = deleted ? link.substring(0, link.length() - DELETED_SUFFIX.length()) : link;
        return new Executable(link, path, deleted, path.startsWith("/memfd:"));
    }
}
