package dev.picket.profile;

import java.util.ArrayList;
import java.util.List;

/** Collects validation problems, keeping at most {@link ProfileLimits#MAX_PROBLEMS} and counting the rest. */
final class Problems {

    private final List<ValidationProblem> kept = new ArrayList<>();
    private int dropped;

    void add(String path, String message) {
        if (kept.size() < ProfileLimits.MAX_PROBLEMS) {
            kept.add(new ValidationProblem(path.isEmpty() ? ValidationProblem.DOCUMENT : path, message));
        } else {
            dropped++;
        }
    }

    boolean isEmpty() {
        return kept.isEmpty();
    }

    int count() {
        return kept.size() + dropped;
    }

    List<ValidationProblem> list() {
        List<ValidationProblem> all = new ArrayList<>(kept);
        if (dropped > 0) {
            all.add(new ValidationProblem(ValidationProblem.DOCUMENT, dropped + " more problems not shown"));
        }
        return all;
    }

    /**
     * The path of a field. A name that is not a plain key (it comes from the document, so it can hold
     * newlines or escape sequences meant to forge log lines) is written quoted and escaped, as {@code ["a\nb"]}.
     */
    static String child(String path, String name) {
        if (!PLAIN_KEY.matcher(name).matches()) {
            return path + "[" + Text.quote(name) + "]";
        }
        return path.isEmpty() ? name : path + "." + name;
    }

    private static final java.util.regex.Pattern PLAIN_KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_\\-]{1,128}");

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }
}
