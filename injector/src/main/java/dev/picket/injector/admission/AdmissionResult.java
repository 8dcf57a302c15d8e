package dev.picket.injector.admission;

/** The value of the {@code result} label of {@code picket_injector_requests_total}. */
public enum AdmissionResult {
    INJECTED("injected"),
    SKIPPED("skipped"),
    DENIED("denied"),
    /** Could not be injected, admitted anyway because picket.injector.on-failure=allow. */
    ALLOWED_UNINJECTED("allowed_uninjected"),
    BAD_REQUEST("bad_request");

    private final String label;

    AdmissionResult(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
