package io.flinkcommander.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Bad input: a corpus of hostile records ({@link HostileCorpus}) sent between the commands of a
 * valid stream, to a service with guardrails on. Each hostile record gets a REJECTED result
 * naming the field, or a dead letter with its reason; no planted secret appears in any output or
 * in the service's own log; the valid commands are all APPLIED as if nothing else had come; and
 * the service's group commits everything (lag 0).
 */
class HostileInputFaultIT {

    static final Map<String, String> GUARDRAILS = Map.of(
            "commander.policy.namespaces", "fault-hostile",
            "commander.policy.images", "flink:,registry.example/flink/",
            "commander.policy.jar-uri-schemes", "local,s3",
            "commander.policy.max-parallelism", "8",
            "commander.policy.max-task-manager-memory", "4g",
            "commander.policy.max-job-manager-memory", "2g",
            "commander.policy.forbidden-configuration-keys", "security.*,s3.*,fs.*,metrics.reporter.*");

    @Test
    void everyHostileRecordIsRejectedOrDeadLetteredWithoutLeakingSecretsWhileValidCommandsApply() throws Exception {
        try (FaultStack stack = FaultStack.start("hostile")) {
            List<HostileCorpus.Case> corpus = HostileCorpus.build("fault-hostile");
            assertThat(corpus).hasSizeGreaterThanOrEqualTo(200);
            CommandStream valid = FaultStack.stream("hostile", 5L);
            stack.startService("commander-a", GUARDRAILS);
            long started = System.nanoTime();

            // Over the size limit: refused by the producer, never reaches the service.
            assertThatThrownBy(() -> stack.bus().send(HostileCorpus.oversized("fault-hostile")))
                    .hasCauseInstanceOf(RecordTooLargeException.class);

            // Interleave: a valid command after every few hostile ones, in one go.
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            int every = Math.max(1, corpus.size() / valid.commands().size());
            int v = 0;
            for (int i = 0; i < corpus.size(); i++) {
                sent.add(stack.bus().sendAsync(corpus.get(i).record()));
                if (i % every == 0 && v < valid.commands().size()) {
                    sent.add(stack.bus().sendAsync(valid.commands().get(v++).record()));
                }
            }
            while (v < valid.commands().size()) {
                sent.add(stack.bus().sendAsync(valid.commands().get(v++).record()));
            }
            stack.bus().flush();
            for (Future<RecordMetadata> f : sent) {
                get(f);
            }

            Invariants.Summary summary = stack.invariants().check(valid, FaultStack.resultTimeout(), started);

            Map<String, JsonNode> results = stack.bus().outputs(FaultBus.RESULTS).stream()
                    .collect(Collectors.toMap(o -> o.data().path("commandId").asText(), FaultBus.Output::data,
                            (a, b) -> a));
            Map<String, List<FaultBus.Output>> deadLetters = stack.bus().outputs(FaultBus.DLQ).stream()
                    .collect(Collectors.groupingBy(o -> String.valueOf(o.headers().get(HostileCorpus.CASE_HEADER))));
            Map<String, List<JsonNode>> resultsById = stack.bus().resultsById();
            SoftAssertions soft = new SoftAssertions();
            Map<String, Integer> tally = new TreeMap<>();
            for (HostileCorpus.Case hostile : corpus) {
                List<JsonNode> answers = resultsById.getOrDefault(hostile.id(), List.of());
                List<FaultBus.Output> dead = deadLetters.getOrDefault(hostile.name(), List.of());
                if (hostile.expect() == HostileCorpus.Expect.DEAD_LETTER) {
                    soft.assertThat(dead).as("dead letters of %s", hostile.name()).hasSize(1);
                    soft.assertThat(answers).as("results of dead-lettered %s", hostile.name()).isEmpty();
                    dead.forEach(d -> soft.assertThat(d.headers().get("dead-letter-reason"))
                            .as("dead-letter reason of %s", hostile.name()).isNotBlank());
                    tally.merge("DEAD_LETTER", 1, Integer::sum);
                } else {
                    soft.assertThat(dead).as("dead letters of %s", hostile.name()).isEmpty();
                    soft.assertThat(answers).as("results of %s", hostile.name()).hasSize(1);
                    JsonNode result = results.get(hostile.id());
                    if (result == null) {
                        continue;
                    }
                    soft.assertThat(result.path("outcome").asText()).as("outcome of %s: %s", hostile.name(), result)
                            .isEqualTo("REJECTED");
                    soft.assertThat(result.path("reason").asText()).as("reason of %s", hostile.name())
                            .isIn("Invalid", "PolicyViolation");
                    if (hostile.path() != null) {
                        List<String> paths = new ArrayList<>();
                        result.path("errors").forEach(e -> paths.add(e.path("path").asText()));
                        soft.assertThat(paths).as("error paths of %s: %s", hostile.name(), result.path("errors"))
                                .anyMatch(p -> p.startsWith(hostile.path()));
                    }
                    tally.merge("REJECTED:" + result.path("reason").asText(), 1, Integer::sum);
                }
            }

            List<String> secrets = corpus.stream().map(HostileCorpus.Case::secret).filter(s -> s != null).toList();
            assertThat(secrets).hasSizeGreaterThanOrEqualTo(20);
            String serviceOutput = stack.serviceOutput();
            for (FaultBus.Output output : stack.bus().outputs()) {
                soft.assertThat(output.text()).as("%s record %s", output.topic(), output.key())
                        .doesNotContain(HostileCorpus.SECRET);
            }
            soft.assertThat(serviceOutput).as("the service's log").doesNotContain(HostileCorpus.SECRET);
            soft.assertThat(stack.bus().serviceLag()).as("the service's consumer lag").isZero();
            soft.assertAll();

            long bytes = corpus.stream().mapToLong(c -> c.record().value() == null ? 0 : c.record().value().length).sum();
            stack.report(corpus.size() + " hostile records (" + bytes / 1024 + " KiB, " + secrets.size()
                    + " planted secrets, 1 oversized refused by the producer) -> " + tally + "; interleaved "
                    + summary + "; " + serviceOutput.lines().count()
                    + " service log lines scanned");
        }
    }

    private static void get(Future<RecordMetadata> sent) throws InterruptedException {
        try {
            sent.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a hostile record was refused by the producer: " + e.getCause(), e);
        }
    }
}
