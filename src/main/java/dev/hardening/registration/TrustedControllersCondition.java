package dev.hardening.registration;

import dev.hardening.HardeningConfig;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchConditionBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The webhook's trust in what the built-in workload controllers derive, as a CEL matchCondition: the API server
 * skips the webhook when the request comes from one of the controller users and the object has a
 * {@code controller: true} owner reference to an owner of its kind ({@link WorkloadKind#controllerOwners()}, the
 * table the webhook and the audit use too). A Deployment rollout then costs one webhook call instead of
 * 2 + replicas. No condition under {@code controller-children: Judge}.
 *
 * <p>The expression never fails on a missing field (a failing condition would apply the failurePolicy): every
 * optional field is tested with {@code has()} first ({@code subResource} and {@code username} are omitted when
 * empty), and {@code object} is null on DELETE and CONNECT.
 */
final class TrustedControllersCondition {

    static final String NAME = "exclude-trusted-controller-children";

    private TrustedControllersCondition() {
    }

    static List<MatchCondition> of(WebhookSettings settings) {
        if (settings.controllerChildren() != HardeningConfig.ControllerChildren.Trust) {
            return List.of();
        }
        return List.of(new MatchConditionBuilder().withName(NAME).withExpression(expression(settings.controllerUsernames()))
                .build());
    }

    static String expression(List<String> usernames) {
        List<String> children = new ArrayList<>();
        for (WorkloadKind child : WorkloadKind.values()) {
            if (child.controllerOwners().isEmpty()) {
                continue;
            }
            String owners = child.controllerOwners().stream()
                    .map(owner -> "(r.kind == " + literal(owner.kind()) + " && " + inGroup(owner.group()) + ")")
                    .collect(Collectors.joining(" || "));
            children.add("(request.resource.group == " + literal(child.group()) + " && request.resource.resource == "
                    + literal(child.resource()) + " && (" + owners + "))");
        }
        return "!(has(request.userInfo.username) && request.userInfo.username in ["
                + usernames.stream().map(TrustedControllersCondition::literal).collect(Collectors.joining(", ")) + "]\n"
                + "  && !has(request.subResource)\n"
                + "  && object != null && has(object.metadata) && has(object.metadata.ownerReferences)\n"
                + "  && object.metadata.ownerReferences.exists(r, has(r.controller) && r.controller == true\n"
                + "    && has(r.kind) && has(r.apiVersion) && (\n"
                + "      " + String.join("\n      || ", children) + ")))";
    }

    /** {@code apiVersion} {@code apps/v1} for group apps; the core group's is just {@code v1}. */
    private static String inGroup(String group) {
        return group.isEmpty() ? "!r.apiVersion.contains('/')" : "r.apiVersion.startsWith(" + literal(group + "/") + ")";
    }

    /** A CEL single-quoted string literal. */
    static String literal(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('\'').toString();
    }
}
