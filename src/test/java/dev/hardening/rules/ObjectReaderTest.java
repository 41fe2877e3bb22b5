package dev.hardening.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectReaderTest {

    @Test
    void preparedReadersReadAsBeforeAndStillNameTheBadFieldNotItsValue() throws Exception {
        ObjectReader.prepare(); // every kind's model class, as the webhook does once it serves

        var mapper = new ObjectMapper();
        Deployment read = ObjectReader.read(mapper.readTree("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                 "spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx"}]}}}}"""),
                Deployment.class);
        assertThat(read.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx");

        assertThatThrownBy(() -> ObjectReader.read(mapper.readTree("""
                {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [{"ports": "s3cr3t"}]}}}}"""),
                Deployment.class))
                .isInstanceOf(ObjectReader.UnreadableObjectException.class)
                .hasMessageContaining("spec.template.spec.containers[0].ports")
                .hasMessageNotContaining("s3cr3t");
    }
}
