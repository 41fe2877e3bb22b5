package dev.hardening.chart;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One permission, the smallest unit RBAC grants: a verb on a resource of an API group, for one object name or all
 * ({@link #ALL_NAMES}). Rules expand into these so that two role sets can be compared whatever their grouping.
 *
 * @param scope {@code cluster} (ClusterRole) or {@code namespace} (Role in the release namespace)
 * @param group API group, {@code core} for the empty core group
 */
record RbacGrant(String scope, String group, String resource, String verb, String name) implements Comparable<RbacGrant> {

    static final String ALL_NAMES = "*";

    static Set<RbacGrant> of(String scope, List<PolicyRule> rules) {
        Set<RbacGrant> grants = new TreeSet<>();
        for (PolicyRule rule : rules) {
            List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                    ? List.of(ALL_NAMES) : rule.getResourceNames();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        for (String name : names) {
                            grants.add(new RbacGrant(scope, group.isEmpty() ? "core" : group, resource, verb, name));
                        }
                    }
                }
            }
        }
        return grants;
    }

    /** Whether this grant allows what {@code needed} asks, in any scope: a name-restricted grant does not cover all names. */
    boolean covers(RbacGrant needed) {
        return group.equals(needed.group) && resource.equals(needed.resource) && verb.equals(needed.verb)
                && (name.equals(ALL_NAMES) || name.equals(needed.name));
    }

    /**
     * Rows of the permission table in docs/install.md: {@code | scope | group | resources | verbs | names | why |},
     * lists comma-separated, {@code *} for all names.
     */
    static Set<RbacGrant> fromMarkdownTable(List<String> lines) {
        Set<RbacGrant> grants = new TreeSet<>();
        for (String line : lines) {
            String[] cells = line.split("\\|");
            if (cells.length < 7 || !(cells[1].trim().equals("cluster") || cells[1].trim().equals("namespace"))) {
                continue;
            }
            for (String resource : list(cells[3])) {
                for (String verb : list(cells[4])) {
                    for (String name : list(cells[5])) {
                        grants.add(new RbacGrant(cells[1].trim(), cells[2].trim().replace("`", ""), resource, verb, name));
                    }
                }
            }
        }
        return grants;
    }

    private static List<String> list(String cell) {
        List<String> values = new ArrayList<>();
        for (String value : cell.replace("`", "").split(",")) {
            if (!value.isBlank()) {
                values.add(value.trim());
            }
        }
        return values;
    }

    @Override
    public int compareTo(RbacGrant other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return scope + " " + group + "/" + resource + " " + verb + (name.equals(ALL_NAMES) ? "" : " [" + name + "]");
    }
}
