package dev.picket.injector.admission;

/** The body cannot be answered as an AdmissionReview (HTTP 400): there is no uid to answer to. */
public class BadAdmissionReview extends RuntimeException {

    public BadAdmissionReview(String message) {
        super(message, null, false, false);
    }
}
