package io.flinkcommander.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class RedactionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void credentialLookingConfigurationValuesAreRedactedAndOthersKept() throws Exception {
        JsonNode spec = JSON.readTree("""
                {"flinkConfiguration":{"s3.secret-key":"abc","s3.access-key":"AKIA","fs.azure.account.key":"k",
                  "ssl.truststore.password":"pw","gcp.token":"t","taskmanager.numberOfTaskSlots":"2"},
                 "podTemplate":{"spec":{"containers":[{"env":[{"name":"DB_PASSWORD","value":"hunter2"},
                   {"name":"MODE","value":"prod"}]}]}}}""");

        JsonNode redacted = Redaction.redact(spec);

        assertThat(redacted.toString()).doesNotContain("abc", "AKIA", "\"k\"", "pw", "\"t\"", "hunter2")
                .contains("taskmanager.numberOfTaskSlots\":\"2\"", "\"MODE\",\"value\":\"prod\"");
        assertThat(redacted.at("/flinkConfiguration/s3.secret-key").asText()).isEqualTo("<redacted>");
        assertThat(spec.at("/flinkConfiguration/s3.secret-key").asText()).as("input untouched").isEqualTo("abc");
    }
}
