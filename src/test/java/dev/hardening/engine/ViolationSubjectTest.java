package dev.hardening.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hardening.rules.Violation;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** What the update ratchet compares: the rule, the field (list items by name) and the value there, as a digest. */
class ViolationSubjectTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode tree(String json) throws IOException {
        return JSON.readTree(json.replace('\'', '"'));
    }

    private static ViolationSubject.Digest subject(String rule, String path, String json) throws IOException {
        return new ViolationSubject().of(new Violation(rule, path, null, null, "m", "f"), tree(json));
    }

    @Test
    void aBracketIsAnIndexInAListAndAKeyInAMap() throws IOException {
        String annotations = "{'metadata':{'annotations':{'container.apparmor.security.beta.kubernetes.io/app':'unconfined','0':'x'}}}";
        String other = "{'metadata':{'annotations':{'container.apparmor.security.beta.kubernetes.io/app':'localhost/p','0':'y'}}}";

        assertThat(subject("r", "metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]", annotations))
                .isNotEqualTo(subject("r", "metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]", other));
        assertThat(subject("r", "metadata.annotations[0]", annotations))
                .isNotEqualTo(subject("r", "metadata.annotations[0]", other));
        assertThat(subject("r", "spec.x[unclosed", "{'spec':{'x':{}}}")).isEqualTo(subject("r", "spec.x[unclosed]", "{'spec':{'x':{}}}"));
    }

    @Test
    void listItemsAreMatchedByNameOrScalarValueNotByIndex() throws IOException {
        String path = "spec.containers[0].env[1].value";
        String before = "{'spec':{'containers':[{'name':'app','env':[{'name':'A','value':'1'},{'name':'S','value':'x'}]}]}}";
        String moved = "{'spec':{'containers':[{'name':'side'},{'name':'app','env':[{'name':'S','value':'x'},{'name':'A','value':'1'}]}]}}";

        assertThat(subject("r", path, before)).isEqualTo(subject("r", "spec.containers[1].env[0].value", moved));
        assertThat(subject("r", "spec.c.add[1]", "{'spec':{'c':{'add':['NET_ADMIN','SYS_ADMIN']}}}"))
                .isEqualTo(subject("r", "spec.c.add[0]", "{'spec':{'c':{'add':['SYS_ADMIN']}}}"));
        assertThat(subject("r", "spec.ports[0].hostPort", "{'spec':{'ports':[{'hostPort':80}]}}"))
                .isNotEqualTo(subject("r", "spec.ports[1].hostPort", "{'spec':{'ports':[{'hostPort':8},{'hostPort':80}]}}"));
    }

    @Test
    void aNewValueAnotherRuleOrAnotherFieldIsAnotherSubject() throws IOException {
        String logs = "{'spec':{'volumes':[{'name':'logs','hostPath':{'path':'/var/log/app','type':''}}]}}";
        String reordered = "{'spec':{'volumes':[{'hostPath':{'type':'','path':'/var/log/app'},'name':'logs'}]}}";
        String root = "{'spec':{'volumes':[{'name':'logs','hostPath':{'path':'/','type':''}}]}}";

        assertThat(subject("no-host-path", "spec.volumes[0].hostPath", logs))
                .as("key order is not a change").isEqualTo(subject("no-host-path", "spec.volumes[0].hostPath", reordered))
                .isNotEqualTo(subject("no-host-path", "spec.volumes[0].hostPath", root))
                .isNotEqualTo(subject("restricted-volume-types", "spec.volumes[0].hostPath", logs))
                .isNotEqualTo(subject("no-host-path", "spec.volumes[0]", logs));
        assertThat(subject("r", "spec.limits.cpu", "{'spec':{'limits':{'cpu':'0'}}}"))
                .as("a string is not a number").isNotEqualTo(subject("r", "spec.limits.cpu", "{'spec':{'limits':{'cpu':0}}}"))
                .as("absent is a value too").isNotEqualTo(subject("r", "spec.limits.cpu", "{'spec':{'limits':{}}}"));
    }

    @Test
    void theSubjectIsADigestThatHoldsNoValue() throws IOException {
        ViolationSubject.Digest subject = subject("no-plaintext-secrets", "spec.env[0].value",
                "{'spec':{'env':[{'name':'DB_PASSWORD','value':'hunter2'}]}}");

        assertThat(subject.toString()).doesNotContain("hunter2");
        assertThat(subject).isNotEqualTo(subject("no-plaintext-secrets", "spec.env[0].value",
                "{'spec':{'env':[{'name':'DB_PASSWORD','value':'hunter3'}]}}"));
    }
}
