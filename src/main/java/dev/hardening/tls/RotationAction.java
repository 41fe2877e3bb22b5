package dev.hardening.tls;

/** What the leader does next to the self-managed certificates, and why (the reason is logged and annotated). */
public record RotationAction(Kind kind, String reason) {

    public enum Kind {
        /** Fresh CA and serving certificate: nothing usable exists (first start, expired, foreign content). */
        ISSUE,
        /** New serving certificate from the current signing CA (due, or its names changed). */
        RENEW_SERVING,
        /** New CA appended to the bundle and made the signing CA; the served certificate does not change yet. */
        ADD_CA,
        /** Serving certificate re-issued by the new CA, now that the API server trusts it. */
        SWITCH_SERVING,
        /** Bundle reduced to the signing CA, now that every replica serves a certificate it signed. */
        DROP_RETIRED_CAS,
        /** Nothing to do now. */
        WAIT
    }

    public boolean changesSecret() {
        return kind != Kind.WAIT;
    }

    static RotationAction of(Kind kind, String reason) {
        return new RotationAction(kind, reason);
    }
}
