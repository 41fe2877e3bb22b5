package dev.hardening.webhook;

import java.util.List;
import java.util.Map;

/** The answer to one AdmissionReview. {@code code}, {@code reason} and {@code message} matter only when denied. */
record AdmissionResponse(String uid, boolean allowed, int code, String reason, String message,
                         List<String> warnings, Map<String, String> auditAnnotations) {

    static AdmissionResponse allow(String uid) {
        return new AdmissionResponse(uid, true, 200, null, null, List.of(), Map.of());
    }

    static AdmissionResponse allow(String uid, List<String> warnings, Map<String, String> auditAnnotations) {
        return new AdmissionResponse(uid, true, 200, null, null, warnings, auditAnnotations);
    }

    static AdmissionResponse deny(String uid, String message, List<String> warnings, Map<String, String> auditAnnotations) {
        return new AdmissionResponse(uid, false, 403, "Forbidden", message, warnings, auditAnnotations);
    }
}
