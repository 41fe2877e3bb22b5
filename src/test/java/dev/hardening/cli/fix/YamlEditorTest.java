package dev.hardening.cli.fix;

import dev.hardening.rules.Autofix;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** One autofix on one YAML text: the exact text afterwards, every other byte as it was. */
class YamlEditorTest {

    private static final String POD_SC = "spec.securityContext.runAsNonRoot";
    private static final String C0 = "spec.containers[0].securityContext.";

    static Stream<Arguments> edits() {
        return Stream.of(
                scenario("a scalar is replaced where it stands, its comment kept",
                        """
                        spec:
                          containers:
                          - name: app   # the app
                            securityContext:
                              privileged: true    # "needed" (it is not)
                              runAsUser: 1000
                        """,
                        new Autofix.SetValue(C0 + "privileged", false),
                        """
                        spec:
                          containers:
                          - name: app   # the app
                            securityContext:
                              privileged: false    # "needed" (it is not)
                              runAsUser: 1000
                        """),
                scenario("a quoted string stays quoted",
                        """
                        spec:
                          securityContext:
                            seccompProfile: {type: 'Unconfined'}
                        """,
                        new Autofix.SetValue("spec.securityContext.seccompProfile.type", "RuntimeDefault"),
                        """
                        spec:
                          securityContext:
                            seccompProfile: {type: 'RuntimeDefault'}
                        """),
                scenario("a new key goes after the last entry of its mapping, at its indentation, before trailing comments",
                        """
                        spec:
                          securityContext:
                            runAsUser: 1000
                            supplementalGroups:
                              - 5
                            # the end of the pod's context

                          containers: []
                        """,
                        new Autofix.SetValue(POD_SC, true),
                        """
                        spec:
                          securityContext:
                            runAsUser: 1000
                            supplementalGroups:
                              - 5
                            runAsNonRoot: true
                            # the end of the pod's context

                          containers: []
                        """),
                scenario("missing parents are created with the file's indentation step (4 here)",
                        """
                        spec:
                            containers:
                                -   name: app
                                    image: app:1
                            volumes: []
                        """,
                        new Autofix.SetValue(C0 + "seccompProfile.type", "RuntimeDefault"),
                        """
                        spec:
                            containers:
                                -   name: app
                                    image: app:1
                                    securityContext:
                                        seccompProfile:
                                            type: RuntimeDefault
                            volumes: []
                        """),
                scenario("an empty value gets a nested block below its key",
                        """
                        spec:
                          containers:
                          - name: app
                            securityContext:   # to do
                          - name: side
                        """,
                        new Autofix.SetValue(C0 + "allowPrivilegeEscalation", false),
                        """
                        spec:
                          containers:
                          - name: app
                            securityContext:   # to do
                              allowPrivilegeEscalation: false
                          - name: side
                        """),
                scenario("an explicit null is replaced in flow style",
                        """
                        spec:
                          securityContext: ~
                        """,
                        new Autofix.SetValue("spec.securityContext.seccompProfile.type", "RuntimeDefault"),
                        """
                        spec:
                          securityContext: {seccompProfile: {type: RuntimeDefault}}
                        """),
                scenario("a flow mapping gets one more entry",
                        """
                        spec: {containers: [{name: app, image: app, securityContext: {runAsUser: 1}}]}
                        """,
                        new Autofix.SetValue(C0 + "readOnlyRootFilesystem", true),
                        """
                        spec: {containers: [{name: app, image: app, securityContext: {runAsUser: 1, readOnlyRootFilesystem: true}}]}
                        """),
                scenario("an empty flow mapping gets its first entry",
                        """
                        spec:
                          containers:
                          - name: app
                            securityContext: {}
                        """,
                        new Autofix.AddItem(C0 + "capabilities.drop", "ALL"),
                        """
                        spec:
                          containers:
                          - name: app
                            securityContext: {capabilities: {drop: ["ALL"]}}
                        """),
                scenario("ALL is appended to a block list as its items are written",
                        """
                        spec:
                          containers:
                          - name: app
                            securityContext:
                              capabilities:
                                drop:
                                  - "NET_RAW"   # first
                                add: [NET_BIND_SERVICE]
                        """,
                        new Autofix.AddItem(C0 + "capabilities.drop", "ALL"),
                        """
                        spec:
                          containers:
                          - name: app
                            securityContext:
                              capabilities:
                                drop:
                                  - "NET_RAW"   # first
                                  - "ALL"
                                add: [NET_BIND_SERVICE]
                        """),
                scenario("ALL is appended to a flow list",
                        """
                        spec:
                          containers:
                          - name: app
                            securityContext: {capabilities: {drop: [NET_RAW]}}
                        """,
                        new Autofix.AddItem(C0 + "capabilities.drop", "ALL"),
                        """
                        spec:
                          containers:
                          - name: app
                            securityContext: {capabilities: {drop: [NET_RAW, ALL]}}
                        """),
                scenario("a block list item is removed with its line and its comment",
                        """
                        spec:
                          containers:
                          - name: app
                            securityContext:
                              capabilities:
                                add:
                                - NET_BIND_SERVICE
                                - SYS_ADMIN   # for the mount
                                drop: [ALL]
                        """,
                        new Autofix.RemoveItem(C0 + "capabilities.add[1]"),
                        """
                        spec:
                          containers:
                          - name: app
                            securityContext:
                              capabilities:
                                add:
                                - NET_BIND_SERVICE
                                drop: [ALL]
                        """),
                scenario("the only item of a block list leaves an empty list",
                        """
                        spec:
                          containers:
                          - name: app
                            securityContext:
                              capabilities:
                                add:   # extras
                                  - SYS_ADMIN
                        """,
                        new Autofix.RemoveItem(C0 + "capabilities.add[0]"),
                        """
                        spec:
                          containers:
                          - name: app
                            securityContext:
                              capabilities:
                                add: []   # extras
                        """),
                scenario("a flow list item is removed with its comma",
                        """
                        spec:
                          containers:
                          - {name: app, securityContext: {capabilities: {add: ["SYS_ADMIN", "NET_BIND_SERVICE", "NET_RAW"]}}}
                        """,
                        new Autofix.RemoveItem(C0 + "capabilities.add[2]"),
                        """
                        spec:
                          containers:
                          - {name: app, securityContext: {capabilities: {add: ["SYS_ADMIN", "NET_BIND_SERVICE"]}}}
                        """),
                scenario("the first flow list item is removed with the comma after it",
                        """
                        spec:
                          containers:
                          - {name: app, securityContext: {capabilities: {add: [SYS_ADMIN, NET_BIND_SERVICE]}}}
                        """,
                        new Autofix.RemoveItem(C0 + "capabilities.add[0]"),
                        """
                        spec:
                          containers:
                          - {name: app, securityContext: {capabilities: {add: [NET_BIND_SERVICE]}}}
                        """),
                scenario("a CRLF file gets CRLF lines",
                        "spec:\r\n  securityContext:\r\n    runAsUser: 1000\r\n  containers: []\r\n",
                        new Autofix.SetValue(POD_SC, true),
                        "spec:\r\n  securityContext:\r\n    runAsUser: 1000\r\n    runAsNonRoot: true\r\n  containers: []\r\n"),
                scenario("a text without a final line break gets the new line after a break",
                        "spec:\n  securityContext:\n    runAsUser: 1000",
                        new Autofix.SetValue(POD_SC, true),
                        "spec:\n  securityContext:\n    runAsUser: 1000\n    runAsNonRoot: true"),
                scenario("a context merged from an anchor is edited where the anchor is",
                        """
                        x-defaults: &restricted
                          allowPrivilegeEscalation: false
                        spec:
                          containers:
                          - name: app
                            securityContext:
                              <<: *restricted
                              runAsUser: 1000
                        """,
                        new Autofix.SetValue(C0 + "readOnlyRootFilesystem", true),
                        """
                        x-defaults: &restricted
                          allowPrivilegeEscalation: false
                        spec:
                          containers:
                          - name: app
                            securityContext:
                              <<: *restricted
                              runAsUser: 1000
                              readOnlyRootFilesystem: true
                        """),
                scenario("a context that is an alias is fixed at its anchor, for every user of it",
                        """
                        spec:
                          initContainers:
                          - name: init
                            securityContext: &sc
                              runAsUser: 1000
                          containers:
                          - name: app
                            securityContext: *sc
                        """,
                        new Autofix.SetValue(C0 + "allowPrivilegeEscalation", false),
                        """
                        spec:
                          initContainers:
                          - name: init
                            securityContext: &sc
                              runAsUser: 1000
                              allowPrivilegeEscalation: false
                          containers:
                          - name: app
                            securityContext: *sc
                        """),
                scenario("JSON keeps quoted keys and values",
                        """
                        {"spec": {"containers": [{"name": "app", "securityContext": {"runAsUser": 1}}]}}
                        """,
                        new Autofix.SetValue(C0 + "seccompProfile.type", "RuntimeDefault"),
                        """
                        {"spec": {"containers": [{"name": "app", "securityContext": {"runAsUser": 1, "seccompProfile": {"type": "RuntimeDefault"}}}]}}
                        """),
                scenario("text beyond the first plane does not shift the edit",
                        """
                        # 🚀 launch
                        spec:
                          securityContext:
                            runAsNonRoot: false # 🔒
                        """,
                        new Autofix.SetValue(POD_SC, true),
                        """
                        # 🚀 launch
                        spec:
                          securityContext:
                            runAsNonRoot: true # 🔒
                        """));
    }

    private static Arguments scenario(String name, String before, Autofix fix, String after) {
        return arguments(Named.of(name, before), fix, after);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void editsOnlyTheField(String before, Autofix fix, String after) throws UnfixableException {
        assertThat(YamlEditor.apply(before, YamlNodes.compose(before).get(0), fix)).isEqualTo(after);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhatItCannotEditSafely(String before, Autofix fix, String reason) {
        assertThatThrownBy(() -> YamlEditor.apply(before, YamlNodes.compose(before).get(0), fix))
                .isInstanceOf(UnfixableException.class).hasMessage(reason);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                scenario("a scalar that is an alias",
                        """
                        x: &yes true
                        spec:
                          containers:
                          - securityContext:
                              privileged: *yes
                        """,
                        new Autofix.SetValue(C0 + "privileged", false), "privileged is an alias"),
                scenario("a list written as a string",
                        """
                        spec:
                          containers:
                          - securityContext:
                              capabilities:
                                drop: ALL
                        """,
                        new Autofix.AddItem(C0 + "capabilities.drop", "ALL"), "drop is not a list"),
                scenario("a container that is not there",
                        "spec:\n  containers: []\n",
                        new Autofix.SetValue(C0 + "privileged", false), "spec.containers[0] does not exist"));
    }
}
