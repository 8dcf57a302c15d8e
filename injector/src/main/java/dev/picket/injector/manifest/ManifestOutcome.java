package dev.picket.injector.manifest;

/**
 * What happened to one document of a manifest.
 *
 * @param result injected, skipped, denied or unsupported
 * @param detail the skip reason code or the denial message; empty when injected or unsupported
 */
public record ManifestOutcome(String kind, String name, String result, String detail) {

    /** One entry of the Picket-Injection response header; names come from the manifest, so no control characters. */
    public String summary() {
        String text = kind + "/" + name + "=" + result + (detail.isEmpty() || result.equals("denied") ? "" : ":" + detail);
        return text.replaceAll("[\\p{Cntrl},]", "?");
    }
}
