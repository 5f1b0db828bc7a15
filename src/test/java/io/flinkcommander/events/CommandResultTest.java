package io.flinkcommander.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.apply.Outcome;
import io.flinkcommander.command.CommandEnvelope;
import io.flinkcommander.command.FieldError;

class CommandResultTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aMegabyteSubjectEchoedInTheErrorsStillMakesAResultThatFitsInOneKafkaRecord() throws Exception {
        String huge = "s".repeat(1_040_000);
        CommandEnvelope command = new CommandEnvelope(huge, huge, huge, "ns/" + huge, null, false, null, null, null);
        Outcome outcome = Outcome.Rejected.invalid(List.of(
                FieldError.at("subject", "name '" + huge + "' is not a DNS-1123 subdomain"),
                FieldError.at("type", "unknown command type '" + huge + "'")));

        CommandResult result = CommandResult.of(command, outcome);

        assertThat(JSON.writeValueAsBytes(result).length).isLessThan(16 * 1024);
        assertThat(result.commandId()).startsWith("sss").endsWith("(1038976 more characters)");
        assertThat(result.errors()).extracting(FieldError::path).containsExactly("subject", "type");
    }

    @Test
    void shortTextsAndFewErrorsAreCopiedAsTheyAre() {
        CommandEnvelope command = new CommandEnvelope("c1", "flink.job.scale", "//ci", "ns/orders", null, false, null,
                null, null);
        List<FieldError> errors = List.of(FieldError.at("data.parallelism", "must be at least 1, got 0"));

        CommandResult result = CommandResult.of(command, Outcome.Rejected.invalid(errors));

        assertThat(result.commandId()).isEqualTo("c1");
        assertThat(result.source()).isEqualTo("//ci");
        assertThat(result.errors()).isEqualTo(errors);
    }

    @Test
    void tenThousandErrorsAreCutToAHundredAndANote() {
        CommandEnvelope command = new CommandEnvelope("c1", "flink.job.deploy", "//ci", "ns/orders", null, false, null,
                null, null);
        List<FieldError> errors = IntStream.range(0, 10_000)
                .mapToObj(i -> FieldError.at("data.spec.field" + i, "unknown field")).toList();

        CommandResult result = CommandResult.of(command, Outcome.Rejected.invalid(errors));

        assertThat(result.errors()).hasSize(101);
        assertThat(result.errors().get(100).message()).isEqualTo("... and 9900 more errors");
    }
}
