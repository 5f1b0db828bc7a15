package io.flinkcommander.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.command.TraceContext;
import io.flinkcommander.events.Observation;
import io.flinkcommander.events.ObservedEvent.LifecycleChanged;
import io.flinkcommander.events.PublishedEvent;

class UnobservedDeletesTest {

    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final TraceContext TRACE = TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);

    static PublishedEvent lifecycle(String subject, String uid, String from, String to, String causation) {
        var data = JSON.createObjectNode().put("from", from).put("to", to).put("jobState", "RUNNING")
                .put("generation", 3).put("observedGeneration", 3);
        return new PublishedEvent(uid + "/7/" + LifecycleChanged.TYPE, LifecycleChanged.TYPE, subject, causation,
                TRACE, uid, data);
    }

    static List<Observation> deleted(UnobservedDeletes history, Set<String> existing) {
        return history.deleted(existing, ns -> true, NOW).stream().flatMap(t -> t.observations().stream()).toList();
    }

    @Test
    void aJobGoneFromTheClusterGetsDeletedFromItsLastPublishedState() {
        UnobservedDeletes history = new UnobservedDeletes();
        history.add(lifecycle("ns/orders", "uid-1", null, "DEPLOYED", "cmd-1"));
        history.add(lifecycle("ns/orders", "uid-1", "DEPLOYED", "STABLE", "cmd-1"));

        List<Observation> out = deleted(history, Set.of());

        assertThat(out).hasSize(1);
        Observation event = out.get(0);
        assertThat(event.id()).isEqualTo("uid-1/deleted/" + LifecycleChanged.TYPE);
        assertThat(event.subject()).isEqualTo("ns/orders");
        assertThat(event.causationId()).isEqualTo("cmd-1");
        assertThat(event.trace()).isEqualTo(TRACE);
        assertThat(event.resourceUid()).isEqualTo("uid-1");
        assertThat(event.event()).isEqualTo(new LifecycleChanged("STABLE", "DELETED", "RUNNING", 3L, 3L));
    }

    @Test
    void theIdIsTheOneAWatchedDeleteWouldHaveHad() {
        UnobservedDeletes history = new UnobservedDeletes();
        history.add(lifecycle("ns/orders", "uid-1", "DEPLOYED", "STABLE", "cmd-1"));
        JobView watched = new JobView("FlinkDeployment", "ns", "orders", "uid-1", "9", 3L, 3L, "STABLE", "RUNNING",
                "j1", 2L, "cmd-1", TRACE, List.of(), LastPublished.NOTHING);

        Observation fromWatch = Transitions.ofDeletedJob(watched, LastPublished.NOTHING.withLifecycle("STABLE"), NOW)
                .observations().get(0);

        assertThat(deleted(history, Set.of())).usingRecursiveFieldByFieldElementComparatorIgnoringFields("event")
                .containsExactly(fromWatch);
    }

    @Test
    void aJobThatStillExistsOrWasAlreadyPublishedDeletedGetsNothing() {
        UnobservedDeletes history = new UnobservedDeletes();
        history.add(lifecycle("ns/running", "uid-1", "DEPLOYED", "STABLE", null));
        history.add(lifecycle("ns/gone", "uid-2", "STABLE", "DELETED", null));

        assertThat(deleted(history, Set.of("uid-1"))).isEmpty();
    }

    @Test
    void aJobRecreatedUnderTheSameNameGetsDeletedForTheOldUid() {
        UnobservedDeletes history = new UnobservedDeletes();
        history.add(lifecycle("ns/orders", "uid-old", "DEPLOYED", "STABLE", null));

        assertThat(deleted(history, Set.of("uid-new"))).extracting(Observation::id)
                .containsExactly("uid-old/deleted/" + LifecycleChanged.TYPE);
    }

    @Test
    void onlyTheLastLifecycleOfASubjectCounts() {
        UnobservedDeletes history = new UnobservedDeletes();
        history.add(lifecycle("ns/orders", "uid-old", "STABLE", "DELETED", null));
        history.add(lifecycle("ns/orders", "uid-new", null, "DEPLOYED", null));

        assertThat(deleted(history, Set.of("uid-new"))).isEmpty();
        assertThat(deleted(history, Set.of())).extracting(Observation::id)
                .containsExactly("uid-new/deleted/" + LifecycleChanged.TYPE);
    }

    @Test
    void theJobStatePublishedAfterTheLastLifecycleChangeIsCarried() {
        UnobservedDeletes history = new UnobservedDeletes();
        history.add(lifecycle("ns/orders", "uid-1", "DEPLOYED", "STABLE", null));
        history.add(new PublishedEvent("uid-1/8/flink.job.status-changed", "flink.job.status-changed", "ns/orders", null,
                null, "uid-1", JSON.createObjectNode().put("from", "RUNNING").put("to", "FAILING")));

        assertThat(deleted(history, Set.of())).extracting(Observation::event)
                .containsExactly(new LifecycleChanged("STABLE", "DELETED", "FAILING", 3L, 3L));
    }

    @Test
    void eventsPublishedBeforeTheUidExtensionAreReadByTheirId() {
        UnobservedDeletes history = new UnobservedDeletes();
        var data = JSON.createObjectNode().put("from", "DEPLOYED").put("to", "STABLE");
        history.add(new PublishedEvent("uid-9/12/" + LifecycleChanged.TYPE, LifecycleChanged.TYPE, "ns/orders", null,
                null, null, data));

        assertThat(deleted(history, Set.of())).extracting(Observation::id)
                .containsExactly("uid-9/deleted/" + LifecycleChanged.TYPE);
    }

    @Test
    void onlyWatchedNamespacesAreConsidered() {
        UnobservedDeletes history = new UnobservedDeletes();
        history.add(lifecycle("other/orders", "uid-1", "DEPLOYED", "STABLE", null));
        history.add(lifecycle("mine/orders", "uid-2", "DEPLOYED", "STABLE", null));

        assertThat(history.deleted(Set.of(), "mine"::equals, NOW)).flatExtracting(Transition::observations)
                .extracting(Observation::subject).containsExactly("mine/orders");
    }
}
