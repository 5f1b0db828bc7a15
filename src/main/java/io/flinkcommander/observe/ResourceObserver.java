package io.flinkcommander.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkcommander.config.CommanderConfig;
import io.flinkcommander.events.EventPublisher;
import io.flinkcommander.events.Observation;
import io.flinkcommander.events.ObservedEvents;

import org.apache.flink.v1beta1.FlinkDeployment;
import org.apache.flink.v1beta1.FlinkSessionJob;
import org.apache.flink.v1beta1.FlinkStateSnapshot;

/**
 * The fabric8 edge of observing: informers on FlinkDeployments, FlinkSessionJobs,
 * FlinkStateSnapshots and core Events in the configured namespaces. Every replica keeps the caches
 * (they serve the read side); only while {@link #lead leading} does a replica turn changes into
 * events ({@link Transitions}), publish them and then remember them on the resource
 * ({@link LastPublished}).
 *
 * <p>All watch events are handled on one thread, in the order they arrive, so a resource's
 * transitions are computed and sent in order; Kafka sends happen in that order too (one producer,
 * key = job). Marks are kept in memory as soon as events are sent, so a second update arriving
 * before the first is acknowledged does not publish the same transition again; the annotation
 * is written after the acknowledgement and is what a restart or a new leader starts from.
 */
@ApplicationScoped
public class ResourceObserver implements JobDirectory {

    private static final Logger LOG = Logger.getLogger(ResourceObserver.class);

    private enum Kind {
        DEPLOYMENT("FlinkDeployment"), SESSION_JOB("FlinkSessionJob"), SNAPSHOT("FlinkStateSnapshot"), EVENT("Event"),
        AUTOSCALER_STATE("ConfigMap");

        final String kindName;

        Kind(String kindName) {
            this.kindName = kindName;
        }
    }

    private final KubernetesClient sharedClient;
    private final CommanderConfig config;
    private final ObservedEvents events;
    private final EventPublisher publisher;
    private final ObjectMapper json;
    /** Marks of what was sent, by resource uid; empty whenever this replica starts leading. */
    private final Map<String, LastPublished> sent = new ConcurrentHashMap<>();
    private final Map<Kind, List<SharedIndexInformer<? extends HasMetadata>>> informers = new ConcurrentHashMap<>();

    private volatile KubernetesClient client;
    private volatile ExecutorService loop;
    private volatile ExecutorService markWriter;
    private volatile boolean leading;

    public ResourceObserver(KubernetesClient client, CommanderConfig config, ObservedEvents events,
            EventPublisher publisher, ObjectMapper json) {
        this.sharedClient = client;
        this.config = config;
        this.events = events;
        this.publisher = publisher;
        this.json = json;
    }

    /** Starts the informers; returns once their first lists are in the caches. Idempotent. */
    public synchronized void start() {
        if (client != null) {
            return;
        }
        // Its own client: the operator may write enum values newer than our generated CRD classes,
        // which must read as null instead of breaking every typed list and watch.
        client = new KubernetesClientBuilder().withConfig(sharedClient.getConfiguration())
                .withKubernetesSerialization(new KubernetesSerialization(new ObjectMapper()
                        .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES), true))
                .build();
        loop = Executors.newSingleThreadExecutor(r -> daemon(r, "observer"));
        markWriter = Executors.newSingleThreadExecutor(r -> daemon(r, "observer-marks"));
        long resync = config.observe().resync().toMillis();
        inform(Kind.DEPLOYMENT, FlinkDeployment.class, resync);
        inform(Kind.SESSION_JOB, FlinkSessionJob.class, resync);
        inform(Kind.SNAPSHOT, FlinkStateSnapshot.class, resync);
        inform(Kind.EVENT, Event.class, resync);
        inform(Kind.AUTOSCALER_STATE, ConfigMap.class, resync);
        LOG.infof("Observing Flink resources in %s", namespaces().isEmpty() ? "all namespaces" : namespaces());
        if (leading) {
            loop.execute(this::resyncAll);
        }
    }

    /** Stops the informers and forgets the in-memory marks: a start reads them from the resources again. */
    @PreDestroy
    public synchronized void stop() {
        if (client == null) {
            return;
        }
        informers.values().forEach(list -> list.forEach(SharedIndexInformer::close));
        informers.clear();
        shutdown(loop);
        shutdown(markWriter);
        sent.clear();
        client.close();
        client = null;
    }

    /** Publish (true) or only watch (false). Taking the lead re-reads every cached resource against its mark. */
    public void lead(boolean lead) {
        this.leading = lead;
        ExecutorService running = loop;
        if (running != null) {
            running.execute(() -> {
                sent.clear();
                if (lead) {
                    resyncAll();
                }
            });
        }
        LOG.infof("Observer %s", lead ? "publishes (leader)" : "only watches");
    }

    public boolean leading() {
        return leading;
    }

    // --- read side -------------------------------------------------------------------------------

    @Override
    public List<JobView> jobs() {
        List<JobView> jobs = new ArrayList<>();
        for (Kind kind : List.of(Kind.DEPLOYMENT, Kind.SESSION_JOB)) {
            for (HasMetadata resource : cached(kind)) {
                jobs.add(JobView.of(kind.kindName, json.valueToTree(resource), LastPublished.NOTHING));
            }
        }
        return jobs;
    }

    @Override
    public Optional<JobView> job(String namespace, String name) {
        return jobs().stream().filter(j -> j.namespace().equals(namespace) && j.name().equals(name)).findFirst();
    }

    // --- watching -------------------------------------------------------------------------------

    private <R extends HasMetadata> void inform(Kind kind, Class<R> type, long resync) {
        ResourceEventHandler<R> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(R resource) {
                enqueue(() -> handle(kind, resource, false));
            }

            @Override
            public void onUpdate(R before, R after) {
                enqueue(() -> handle(kind, after, false));
            }

            @Override
            public void onDelete(R resource, boolean finalStateUnknown) {
                enqueue(() -> handle(kind, resource, true));
            }
        };
        List<SharedIndexInformer<? extends HasMetadata>> started = new ArrayList<>();
        if (namespaces().isEmpty()) {
            started.add(selected(kind, client.resources(type).inAnyNamespace()).inform(handler, resync));
        } else {
            for (String namespace : namespaces()) {
                started.add(selected(kind, client.resources(type).inNamespace(namespace)).inform(handler, resync));
            }
        }
        informers.put(kind, started);
    }

    /** Of all ConfigMaps, only the autoscaler's state (the operator labels them). */
    private static <R extends HasMetadata> FilterWatchListDeletable<R, ?, ?> selected(Kind kind,
            FilterWatchListDeletable<R, ?, ?> resources) {
        return kind == Kind.AUTOSCALER_STATE
                ? resources.withLabel(AutoscalerStateView.COMPONENT_LABEL, AutoscalerStateView.COMPONENT)
                : resources;
    }

    /** Compares every snapshot not yet terminal with its mark again, e.g. for {@link SnapshotTimeouts}. */
    public void recheckSnapshots() {
        enqueue(() -> cached(Kind.SNAPSHOT).forEach(snapshot -> {
            if (SnapshotTimeouts.pending(SnapshotView.of(json.valueToTree(snapshot), LastPublished.NOTHING))) {
                handle(Kind.SNAPSHOT, snapshot, false);
            }
        }));
    }

    private void enqueue(Runnable work) {
        try {
            loop.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Stopping: the informers can still deliver while they close.
        }
    }

    private List<String> namespaces() {
        return config.observe().namespaces().orElse(List.of());
    }

    private List<HasMetadata> cached(Kind kind) {
        List<HasMetadata> all = new ArrayList<>();
        informers.getOrDefault(kind, List.of()).forEach(informer -> all.addAll(informer.getStore().list()));
        return all;
    }

    private void resyncAll() {
        for (Kind kind : Kind.values()) {
            cached(kind).forEach(resource -> handle(kind, resource, false));
        }
    }

    /** On the observer thread. */
    private void handle(Kind kind, HasMetadata resource, boolean deleted) {
        if (!leading) {
            return;
        }
        if (kind == Kind.AUTOSCALER_STATE) {
            // Its mark is on the job (the ConfigMap is the autoscaler's to write): decided with the job.
            autoscaledJob(resource).ifPresent(job -> handle(job.kind(), job.resource(), false));
            return;
        }
        try {
            JsonNode tree = json.valueToTree(resource);
            LastPublished stored = LastPublished.parse(json, JobView.annotation(tree, LastPublished.ANNOTATION));
            String uid = resource.getMetadata().getUid();
            LastPublished mark = sent.getOrDefault(uid, stored);
            Instant now = Instant.now();
            Transition transition = switch (kind) {
                case DEPLOYMENT, SESSION_JOB -> deleted
                        ? Transitions.ofDeletedJob(JobView.of(kind.kindName, tree, stored), mark, now)
                        : withScaling(Transitions.ofJob(JobView.of(kind.kindName, tree, stored), mark, now), tree, now);
                case SNAPSHOT -> deleted ? null : snapshot(SnapshotView.of(tree, stored), mark, now);
                case EVENT -> deleted ? null : operatorEvent(tree, mark, now);
                case AUTOSCALER_STATE -> throw new IllegalStateException("decided with its job");
            };
            if (transition == null) {
                sent.remove(uid);
                return;
            }
            if (deleted) {
                sent.remove(uid);
            } else {
                sent.put(uid, transition.mark());
            }
            publish(transition.observations()).whenComplete((ok, failure) -> {
                if (failure != null) {
                    // Forget the in-memory mark: the next change (or resync) publishes again from the stored one.
                    sent.remove(uid, transition.mark());
                    LOG.warnf("Could not publish %d event(s) about %s %s: %s", transition.observations().size(),
                            kind.kindName, name(resource), failure.getMessage());
                } else if (!deleted && !transition.mark().equals(stored)) {
                    markWriter.execute(() -> writeMark(kind, resource, transition.mark()));
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not observe %s %s", kind.kindName, name(resource));
        }
    }

    /**
     * A job's lifecycle transition plus the manual scaling decision in the same change and the
     * autoscaler's executed one (its state ConfigMap), under one mark.
     */
    private Transition withScaling(Transition job, JsonNode tree, Instant now) {
        Transition scaling = ScalingDecisions.ofJob(ScaleView.of(tree), job.mark(), now);
        Transition autoscaled = autoscalerState(tree, scaling.mark(), now);
        List<Observation> all = new ArrayList<>(job.observations());
        all.addAll(scaling.observations());
        all.addAll(autoscaled.observations());
        return new Transition(all, autoscaled.mark());
    }

    /** The snapshot's phase, then whether it is overdue ({@link SnapshotTimeouts}), under one mark. */
    private Transition snapshot(SnapshotView snapshot, LastPublished mark, Instant now) {
        Transition phase = Transitions.ofSnapshot(snapshot, mark, now);
        Transition timeout = SnapshotTimeouts.of(snapshot, phase.mark(), now, config.snapshots().timeout());
        List<Observation> all = new ArrayList<>(phase.observations());
        all.addAll(timeout.observations());
        return new Transition(all, timeout.mark());
    }

    private record CachedJob(Kind kind, HasMetadata resource) {
    }

    /** The cached job an autoscaler state ConfigMap belongs to (a FlinkDeployment, else a FlinkSessionJob). */
    private Optional<CachedJob> autoscaledJob(HasMetadata configMap) {
        AutoscalerStateView state = AutoscalerStateView.of(json.valueToTree(configMap), LastPublished.NOTHING);
        if (state == null) {
            return Optional.empty();
        }
        for (Kind kind : List.of(Kind.DEPLOYMENT, Kind.SESSION_JOB)) {
            Optional<HasMetadata> job = cachedByName(kind, state.namespace(), state.jobName())
                    .filter(j -> state.belongsTo(j.getMetadata().getUid(), state.namespace(), state.jobName()));
            if (job.isPresent()) {
                return Optional.of(new CachedJob(kind, job.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * The parallelism overrides the autoscaler stored for this job since its mark, with the
     * ScalingReport that announced them ({@link ScalingDecisions#ofAutoscalerState}).
     */
    private Transition autoscalerState(JsonNode job, LastPublished mark, Instant now) {
        JsonNode metadata = job.path("metadata");
        String namespace = metadata.path("namespace").asText();
        String name = metadata.path("name").asText();
        String uid = metadata.path("uid").asText(null);
        AutoscalerStateView state = cachedByName(Kind.AUTOSCALER_STATE, namespace, AutoscalerStateView.NAME_PREFIX + name)
                .map(configMap -> {
                    JsonNode tree = json.valueToTree(configMap);
                    return AutoscalerStateView.of(tree,
                            LastPublished.parse(json, JobView.annotation(tree, LastPublished.ANNOTATION)));
                })
                .filter(s -> s.belongsTo(uid, namespace, name))
                .orElse(null);
        return ScalingDecisions.ofAutoscalerState(namespace + "/" + name, state,
                // The cache first; the API only when the cache holds no report of the decision.
                List.of(() -> reportsOf(cached(Kind.EVENT), namespace, name, uid),
                        () -> reportsFromApi(namespace, name, uid)),
                JobView.longOrNull(job.path("spec").path("job").path("parallelism")), mark, now);
    }

    /**
     * The job's ScalingReport Events from the API. The autoscaler records its report before it
     * stores the overrides, so this read (consistent, unlike the watch on Events, which may deliver
     * after the ConfigMap's) finds the report of a ConfigMap change that arrived first.
     */
    private List<ScalingReport.Recorded> reportsFromApi(String namespace, String name, String uid) {
        try {
            return reportsOf(List.copyOf(client.v1().events().inNamespace(namespace)
                    .withField("involvedObject.name", name).withField("reason", ScalingReport.REASON)
                    .list().getItems()), namespace, name, uid);
        } catch (RuntimeException e) {
            LOG.warnf("Could not read the ScalingReport Events of %s/%s, deciding without: %s", namespace, name,
                    e.getMessage());
            return List.of();
        }
    }

    private List<ScalingReport.Recorded> reportsOf(List<? extends HasMetadata> events, String namespace, String name,
            String uid) {
        List<ScalingReport.Recorded> out = new ArrayList<>();
        for (HasMetadata event : events) {
            if (!(event instanceof Event e) || !name.equals(e.getInvolvedObject().getName())
                    || !ScalingReport.REASON.equals(e.getReason())) {
                continue; // read only the job's reports as trees
            }
            JsonNode tree = json.valueToTree(event);
            OperatorEventView view = OperatorEventView.of(tree, LastPublished.NOTHING);
            String involvedUid = tree.path("involvedObject").path("uid").asText(null);
            if (view.concernsFlink() && view.namespace().equals(namespace) && view.involvedName().equals(name)
                    && (involvedUid == null || involvedUid.equals(uid))) {
                ScalingReport.Recorded.of(view, OperatorEventView.time(tree)).ifPresent(out::add);
            }
        }
        return out;
    }

    private Optional<HasMetadata> cachedByName(Kind kind, String namespace, String name) {
        for (SharedIndexInformer<? extends HasMetadata> informer : informers.getOrDefault(kind, List.of())) {
            HasMetadata found = informer.getStore().getByKey(namespace + "/" + name);
            if (found != null) {
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    private Transition operatorEvent(JsonNode tree, LastPublished mark, Instant now) {
        OperatorEventView event = OperatorEventView.of(tree, LastPublished.NOTHING);
        if (!event.concernsFlink()) {
            return null;
        }
        String job = event.involvedName();
        if (event.involvedKind().equals(Kind.SNAPSHOT.kindName)) {
            // The subject is the job the snapshot belongs to, as for the snapshot's own events.
            job = cached(Kind.SNAPSHOT).stream()
                    .filter(s -> s.getMetadata().getName().equals(event.involvedName())
                            && s.getMetadata().getNamespace().equals(event.namespace()))
                    .findFirst().map(s -> SnapshotView.of(json.valueToTree(s), LastPublished.NOTHING).jobName())
                    .orElse(event.involvedName());
        }
        return Transitions.ofOperatorEvent(event, event.namespace() + "/" + job, mark, now);
    }

    /** Sends in order; completes when Kafka has acknowledged all of them. */
    private CompletableFuture<Void> publish(List<Observation> observations) {
        CompletableFuture<?>[] acks = observations.stream()
                .map(o -> publisher.publish(events.record(o)).subscribeAsCompletionStage())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(acks);
    }

    /** A merge patch of one annotation: no resourceVersion, so it never conflicts with the operator or the applier. */
    private void writeMark(Kind kind, HasMetadata resource, LastPublished mark) {
        var patch = json.createObjectNode();
        patch.putObject("metadata").putObject("annotations").put(LastPublished.ANNOTATION, mark.toJson(json));
        KubernetesClient current = client;
        if (current == null) {
            return;
        }
        try {
            var ops = switch (kind) {
                case DEPLOYMENT -> current.resources(FlinkDeployment.class);
                case SESSION_JOB -> current.resources(FlinkSessionJob.class);
                case SNAPSHOT -> current.resources(FlinkStateSnapshot.class);
                case EVENT -> current.v1().events();
                // Never written: the autoscaler updates it with resourceVersion, its marks are on the job.
                case AUTOSCALER_STATE -> throw new IllegalStateException("the autoscaler's state is not ours to write");
            };
            ops.inNamespace(resource.getMetadata().getNamespace()).withName(resource.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        } catch (RuntimeException e) {
            // Published but not remembered: a restart would publish it again, with the same id.
            LOG.warnf("Could not remember what was published about %s %s: %s", kind.kindName, name(resource),
                    e.getMessage());
        }
    }

    private static String name(HasMetadata resource) {
        return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void shutdown(ExecutorService executor) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
