package dev.hardening.webhook;

/** The body is not an AdmissionReview we can answer: HTTP 400 with this short message. */
final class BadReviewException extends Exception {

    BadReviewException(String message) {
        super(message, null, false, false);
    }
}
