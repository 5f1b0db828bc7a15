package io.flinkcommander.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.flinkcommander.command.TraceContext;
import io.flinkcommander.events.ObservedEvent.JobStatusChanged;
import io.flinkcommander.events.ObservedEvent.LifecycleChanged;
import io.flinkcommander.events.PublishedEvent;

/**
 * Jobs deleted while no replica observed them. The resource and its last-published mark went away
 * together and no informer saw a delete, so the only record that the job existed is what was
 * published about it: the lifecycle topic, read back from the beginning ({@link #add}, in topic
 * order), keeping each subject's last {@code flink.job.lifecycle-changed} and the uid it was about.
 * A subject whose last state is not DELETED, and whose uid no job in the cluster has any more, was
 * deleted meanwhile ({@link #deleted}): it gets the net transition, last published state to DELETED,
 * with the id a watched delete would have had ({@link Transitions#ofDeletedJob}). Also when the name
 * exists again under another uid (deleted and re-created): the old uid gets its DELETED.
 *
 * <p>Pure: no Kafka or Kubernetes types; the caller reads the topic and lists the jobs.
 */
public final class UnobservedDeletes {

    /** The last lifecycle published about a subject, with what its DELETED repeats. */
    private record Last(String uid, String state, String jobState, Long generation, Long observedGeneration,
            String causationId, TraceContext trace) {

        Last withJobState(String value) {
            return new Last(uid, state, value, generation, observedGeneration, causationId, trace);
        }
    }

    /** The event types {@link #add} reads. */
    public static final Set<String> TYPES = Set.of(LifecycleChanged.TYPE, JobStatusChanged.TYPE);

    private final Map<String, Last> bySubject = new HashMap<>();

    /** One event read back, in the order published (per subject). */
    public void add(PublishedEvent event) {
        String uid = uidOf(event);
        if (uid == null) {
            return;
        }
        if (LifecycleChanged.TYPE.equals(event.type())) {
            String to = event.text("to");
            if (to != null) {
                bySubject.put(event.subject(), new Last(uid, to, event.text("jobState"), event.number("generation"),
                        event.number("observedGeneration"), event.causationId(), event.trace()));
            }
        } else if (JobStatusChanged.TYPE.equals(event.type())) {
            // The job state published after the last lifecycle change is what the DELETED should carry.
            bySubject.computeIfPresent(event.subject(),
                    (subject, last) -> last.uid().equals(uid) ? last.withJobState(event.text("to")) : last);
        }
    }

    /** Subjects read so far (deleted ones included). */
    public int subjects() {
        return bySubject.size();
    }

    /**
     * The DELETED transition of every job known to the topic, in a namespace {@code watched}, whose
     * uid is not among {@code existing} (the uids of every FlinkDeployment and FlinkSessionJob now).
     */
    public List<Transition> deleted(Set<String> existing, Predicate<String> watched, Instant now) {
        List<Transition> out = new ArrayList<>();
        bySubject.forEach((subject, last) -> {
            int slash = subject.indexOf('/');
            if (slash <= 0 || "DELETED".equals(last.state()) || existing.contains(last.uid())
                    || !watched.test(subject.substring(0, slash))) {
                return;
            }
            JobView gone = new JobView(null, subject.substring(0, slash), subject.substring(slash + 1), last.uid(),
                    null, last.generation(), last.observedGeneration(), last.state(), last.jobState(), null, null,
                    last.causationId(), last.trace(), List.of(), LastPublished.NOTHING);
            out.add(Transitions.ofDeletedJob(gone, LastPublished.NOTHING.withLifecycle(last.state()), now));
        });
        return out;
    }

    /**
     * The {@code resourceuid} extension; events published before it existed carry the uid as the
     * first part of their id ({@code <uid>/<resourceVersion>/<type>}, {@code <uid>/deleted/<type>}).
     */
    private static String uidOf(PublishedEvent event) {
        if (event.resourceUid() != null) {
            return event.resourceUid();
        }
        int slash = event.id().indexOf('/');
        return slash > 0 ? event.id().substring(0, slash) : null;
    }
}
