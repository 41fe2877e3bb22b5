package dev.hardening.webhook;

import java.util.List;

/**
 * Who sent the request, as the API server authenticated them ({@code request.userInfo}).
 *
 * @param username empty when the API server sent none
 */
record UserInfo(String username, List<String> groups) {

    static final UserInfo NONE = new UserInfo("", List.of());

    UserInfo {
        groups = List.copyOf(groups);
    }

    boolean inGroup(String group) {
        return groups.contains(group);
    }
}
