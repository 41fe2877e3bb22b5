package dev.hardening.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of an AdmissionReview v1 request the webhook uses.
 *
 * @param group       API group of the resource, empty for core
 * @param subResource e.g. {@code ephemeralcontainers}, empty for the main resource
 * @param user        who sent it
 * @param object      the object as submitted; {@code oldObject} is the stored one on UPDATE
 */
record AdmissionRequest(String uid, String kind, String group, String resource, String subResource,
                        String operation, String namespace, String name, boolean dryRun, UserInfo user,
                        JsonNode object, JsonNode oldObject) {
}
