package io.flinkcommander.fault;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.assertj.core.api.SoftAssertions;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NumericNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.flinkcommander.fixture.SimulatedOperator;

import org.apache.flink.v1beta1.FlinkDeployment;
import org.apache.flink.v1beta1.FlinkStateSnapshot;

/**
 * The invariants every fault scenario ends with, whatever the fault was:
 * <ol>
 * <li>every command id of the stream has exactly one committed result, and it is APPLIED;
 * <li>no effect happened twice: each job's {@code applied-commands} annotation lists its commands
 * once each and in order; each savepoint command made exactly one FlinkStateSnapshot; the
 * simulated operator took no savepoint, checkpoint or redeploy by nonce, completed no more
 * snapshots than were asked and started no job more often than commands asked it to;
 * <li>every job's final spec equals what {@link SpecModel} says its commands make of it;
 * <li>the service's consumer group has committed every command (lag 0).
 * </ol>
 */
final class Invariants {

    static final String APPLIED_COMMANDS = "flink-commander.io/applied-commands";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REMEMBERED_IDS = 20;

    /** What a scenario measured, for its log line and the README. */
    record Summary(int commands, Map<String, Long> verbs, Map<String, Long> outcomes, double seconds) {
        @Override
        public String toString() {
            return commands + " commands " + verbs + " -> " + outcomes + " in " + String.format("%.1f s", seconds);
        }
    }

    private final FaultBus bus;
    private final KubernetesClient kubernetes;
    private final SimulatedOperator operator;

    Invariants(FaultBus bus, KubernetesClient kubernetes, SimulatedOperator operator) {
        this.bus = bus;
        this.kubernetes = kubernetes;
        this.operator = operator;
    }

    /** Waits for every result (up to {@code timeout}), then checks everything; fails listing every breach. */
    Summary check(CommandStream stream, Duration timeout, long startedNanos) {
        int total = stream.commands().size();
        await("every command answered").atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> bus.answered(stream.ids()) == total);
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        awaitQuiet(timeout);

        SoftAssertions soft = new SoftAssertions();
        Map<String, List<FaultBus.Output>> results = bus.outputs(FaultBus.RESULTS).stream()
                .collect(Collectors.groupingBy(o -> o.data().path("commandId").asText()));
        Map<String, Long> outcomes = new TreeMap<>();
        for (FaultCommand command : stream.commands()) {
            List<FaultBus.Output> mine = results.getOrDefault(command.id(), List.of());
            soft.assertThat(mine).as("results of %s", command.id()).hasSize(1);
            mine.stream().limit(1).forEach(r -> outcomes.merge(r.data().path("outcome").asText(), 1L, Long::sum));
            mine.forEach(r -> soft.assertThat(r.data().path("outcome").asText())
                    .as("outcome of %s %s (reason %s)", command.type(), command.id(), r.data().path("reason").asText())
                    .isEqualTo("APPLIED"));
        }

        Map<String, List<String>> snapshotsByJob = snapshotCommandsByJob(stream.namespace());
        stream.byJob().forEach((subject, commands) -> checkJob(soft, subject, SpecModel.of(commands),
                snapshotsByJob.getOrDefault(subject.substring(subject.indexOf('/') + 1), List.of())));
        soft.assertAll();
        return new Summary(total, stream.verbs(), outcomes, seconds);
    }

    /**
     * Every command committed by the service and every committed output read by the test: after
     * this no result can still arrive, so counting them is final.
     */
    void awaitQuiet(Duration timeout) {
        await("service lag 0 and every output read").atMost(timeout).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> bus.serviceLag() == 0 && bus.caughtUp());
    }

    private void checkJob(SoftAssertions soft, String subject, SpecModel.Expected expected, List<String> snapshotIds) {
        String namespace = subject.substring(0, subject.indexOf('/'));
        String name = subject.substring(subject.indexOf('/') + 1);
        GenericKubernetesResource resource = kubernetes.genericKubernetesResources(
                ResourceDefinitionContext.fromResourceType(FlinkDeployment.class))
                .inNamespace(namespace).withName(name).get();
        if (resource == null) {
            soft.fail("%s does not exist", subject);
            return;
        }
        JsonNode spec = JSON.valueToTree(resource.getAdditionalProperties().get("spec"));
        soft.assertThat(spec.equals(Invariants::sameValue, expected.spec()))
                .as("spec of %s%n  is:       %s%n  expected: %s", subject, spec, expected.spec()).isTrue();

        List<String> remembered = appliedIds(resource.getMetadata().getAnnotations());
        // Savepoint ids are remembered on their snapshot, not on the job.
        soft.assertThat(remembered).as("applied-commands of %s (each once, in order)", subject)
                .containsExactlyElementsOf(filterTail(expected.appliedIds(), expected.savepointIds()));

        soft.assertThat(snapshotIds).as("FlinkStateSnapshots of %s, by the command that made each", subject)
                .containsExactlyInAnyOrderElementsOf(expected.savepointIds());
        soft.assertThat(operator.savepointsTaken(namespace, name)).as("savepoints by nonce of %s", subject).isZero();
        soft.assertThat(operator.checkpointsTaken(namespace, name)).as("checkpoints by nonce of %s", subject).isZero();
        soft.assertThat(operator.redeploysFromSavepoint(namespace, name)).as("redeploys of %s", subject).isZero();
        soft.assertThat(operator.snapshotsCompleted(namespace, name)).as("snapshots completed for %s", subject)
                .isLessThanOrEqualTo(expected.savepointIds().size());
        soft.assertThat(operator.deploymentsStarted(namespace, name)).as("job starts of %s", subject)
                .isLessThanOrEqualTo(expected.starts());
    }

    /** The ids a job itself remembers: its non-savepoint commands, the newest {@value #REMEMBERED_IDS}. */
    private static List<String> filterTail(List<String> applied, List<String> savepoints) {
        List<String> onJob = new ArrayList<>(applied);
        onJob.removeAll(savepoints);
        return onJob.subList(Math.max(0, onJob.size() - REMEMBERED_IDS), onJob.size());
    }

    /** For each job name: the ids of the commands that created FlinkStateSnapshots of it. */
    private Map<String, List<String>> snapshotCommandsByJob(String namespace) {
        Map<String, List<String>> byJob = new HashMap<>();
        for (FlinkStateSnapshot snapshot : kubernetes.resources(FlinkStateSnapshot.class).inNamespace(namespace)
                .list().getItems()) {
            String job = snapshot.getSpec().getJobReference().getName();
            byJob.computeIfAbsent(job, k -> new ArrayList<>())
                    .addAll(appliedIds(snapshot.getMetadata().getAnnotations()));
        }
        byJob.values().forEach(ids -> ids.sort(Comparator.naturalOrder()));
        return byJob;
    }

    private static List<String> appliedIds(Map<String, String> annotations) {
        String value = annotations == null ? null : annotations.get(APPLIED_COMMANDS);
        if (value == null) {
            return List.of();
        }
        try {
            List<Map<String, Object>> entries = JSON.readValue(value, new TypeReference<>() {
            });
            return entries.stream().map(e -> String.valueOf(e.get("id"))).toList();
        } catch (Exception e) {
            throw new IllegalStateException("unreadable " + APPLIED_COMMANDS + ": " + value, e);
        }
    }

    /** JSON equality where 1 and 1.0 are the same number (the typed CRD model writes cpu as a double). */
    private static int sameValue(JsonNode a, JsonNode b) {
        if (a instanceof NumericNode x && b instanceof NumericNode y) {
            return x.decimalValue().compareTo(y.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    }
}
