package dev.picket.injector.policy;

/** Pod content echoed into warnings, denials and logs: no control characters, bounded length. */
final class Messages {

    private Messages() {
    }

    static String printable(String text, int max) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > max ? clean.substring(0, max) + "…" : clean;
    }

    /** An image as written, quoted and cut to a length a warning can carry. */
    static String image(String image) {
        return "\"" + printable(image == null ? "" : image, 120) + "\"";
    }
}
