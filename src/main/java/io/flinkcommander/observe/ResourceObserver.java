package io.flinkcommander.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
import io.flinkcommander.events.TopicReadBack;

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
 *
 * <p>A job deleted while no replica observed it left neither resource nor mark: taking the lead
 * first reads the lifecycle topic back ({@link UnobservedDeletes}) and publishes its DELETED.
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
    private final TopicReadBack readBack;
    /** Sends not acknowledged yet: a replica stepping down waits for them before handing over. */
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    /** Marks of what was sent, by resource uid; empty whenever this replica starts leading. */
    private final Map<String, LastPublished> sent = new ConcurrentHashMap<>();
    private final Map<Kind, List<SharedIndexInformer<? extends HasMetadata>>> informers = new ConcurrentHashMap<>();

    private volatile KubernetesClient client;
    private volatile ExecutorService loop;
    private volatile ExecutorService markWriter;
    /** Reads the lifecycle topic back when this replica is to lead, off the observer thread. */
    private volatile ExecutorService leadReader;
    /** Counts calls of {@link #lead}: a read back finishing after a newer call has nothing to say. */
    private long leadCalls;
    private final Object leadLock = new Object();
    private volatile boolean leading;
    /** Completes once the informers' first lists are in: taking the lead waits for it. */
    private volatile CompletableFuture<Void> listed = new CompletableFuture<>();

    public ResourceObserver(KubernetesClient client, CommanderConfig config, ObservedEvents events,
            EventPublisher publisher, ObjectMapper json, TopicReadBack readBack) {
        this.sharedClient = client;
        this.readBack = readBack;
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
        listed = new CompletableFuture<>();
        loop = Executors.newSingleThreadExecutor(r -> daemon(r, "observer"));
        markWriter = Executors.newSingleThreadExecutor(r -> daemon(r, "observer-marks"));
        leadReader = Executors.newSingleThreadExecutor(r -> daemon(r, "observer-lead"));
        if (leading) {
            // Ahead of the informers' first adds: deletes nobody observed go out before anything
            // about a job re-created under the same name.
            UnobservedDeletes history = readHistory();
            loop.execute(() -> takeLead(history));
        }
        try {
            long resync = config.observe().resync().toMillis();
            inform(Kind.DEPLOYMENT, FlinkDeployment.class, resync);
            inform(Kind.SESSION_JOB, FlinkSessionJob.class, resync);
            inform(Kind.SNAPSHOT, FlinkStateSnapshot.class, resync);
            inform(Kind.EVENT, Event.class, resync);
            inform(Kind.AUTOSCALER_STATE, ConfigMap.class, resync);
        } finally {
            listed.complete(null);
        }
        LOG.infof("Observing Flink resources in %s", namespaces().isEmpty() ? "all namespaces" : namespaces());
    }

    /** Stops the informers and forgets the in-memory marks: a start reads them from the resources again. */
    @PreDestroy
    public synchronized void stop() {
        if (client == null) {
            return;
        }
        informers.values().forEach(list -> list.forEach(SharedIndexInformer::close));
        informers.clear();
        shutdown(leadReader);
        shutdown(loop);
        shutdown(markWriter);
        sent.clear();
        client.close();
        client = null;
    }

    /**
     * Publish (true) or only watch (false). Taking the lead first reads the lifecycle topic back (on
     * its own thread, publishing nothing meanwhile), then, on the observer thread, publishes the
     * deletes nobody observed and re-reads every cached resource against its mark. The slow read is
     * kept off the observer thread: watch events queued behind a long task would be handled after
     * the resync already published the newer state from the cache.
     */
    public void lead(boolean lead) {
        long call;
        synchronized (leadLock) {
            call = ++leadCalls;
            ExecutorService reader = leadReader;
            if (!lead || reader == null) {
                this.leading = lead;
                ExecutorService running = loop;
                if (running != null && !lead) {
                    enqueue(sent::clear);
                }
                LOG.infof("Observer %s", lead ? "publishes (leader)" : "only watches");
                return;
            }
            this.leading = false;
            try {
                reader.execute(() -> leadAfterReading(call));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Stopping.
            }
        }
    }

    private void leadAfterReading(long call) {
        UnobservedDeletes history = readHistory();
        synchronized (leadLock) {
            if (call != leadCalls) {
                return;
            }
            this.leading = true;
            enqueue(() -> takeLead(history));
        }
        LOG.infof("Observer publishes (leader)");
    }

    public boolean leading() {
        return leading;
    }

    /**
     * Waits (at most {@code limit}) until every event handled so far is acknowledged by Kafka: a
     * replica handing the lead over calls it first, so that the next leader, reading the lifecycle
     * topic back, sees all this one published.
     */
    public void awaitPublished(Duration limit) {
        long giveUpAt = System.nanoTime() + limit.toNanos();
        try {
            for (ExecutorService stage : java.util.Arrays.asList(leadReader, loop)) {
                if (stage != null) {
                    stage.submit(() -> {
                    }).get(Math.max(0, giveUpAt - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, giveUpAt - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            // Failed sends are published again by the next leader; a slow one may be published twice (same id).
            LOG.infof("Handing over with events not acknowledged yet: %s", e.toString());
        }
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

    /** On the observer thread: deletes nobody observed first, then every cached resource against its mark. */
    private void takeLead(UnobservedDeletes history) {
        listed.join();
        sent.clear();
        if (history != null && leading) {
            publishUnobservedDeletes(history);
        }
        resyncAll();
    }

    /**
     * The lifecycle topic read back to its end as of now; null when off or when the read failed:
     * deciding on part of the topic could announce the deletion of jobs that exist.
     */
    private UnobservedDeletes readHistory() {
        var settings = config.observe().unobservedDeletes();
        if (!settings.enabled()) {
            return null;
        }
        String topic = config.topics().lifecycle();
        UnobservedDeletes history = new UnobservedDeletes();
        try {
            TopicReadBack.Pass pass = readBack.read(topic, UnobservedDeletes.TYPES, history::add, settings.readLimit());
            LOG.infof("Lifecycle topic %s read back in %d ms (%d records, %d partitions, %d jobs)", topic,
                    pass.took().toMillis(), pass.records(), pass.partitions(), history.subjects());
            return history;
        } catch (RuntimeException e) {
            LOG.warnf("Could not read the lifecycle topic %s back (%s): jobs deleted while no replica observed them "
                    + "are not published now, only on the next start or change of leader", topic, e.getMessage());
            return null;
        }
    }

    /**
     * Publishes DELETED for the jobs the topic knows that are gone from the watched namespaces. Runs
     * before the resync, so a job deleted and re-created under the same name gets the old uid's
     * DELETED before the new one's first events.
     */
    private void publishUnobservedDeletes(UnobservedDeletes history) {
        Set<String> existing = new HashSet<>();
        for (Kind kind : List.of(Kind.DEPLOYMENT, Kind.SESSION_JOB)) {
            List<SharedIndexInformer<? extends HasMetadata>> listing = informers.getOrDefault(kind, List.of());
            if (listing.isEmpty() || listing.stream().anyMatch(informer -> !informer.hasSynced())) {
                // A partial list would make existing jobs look deleted.
                LOG.warnf("Not all %ss are listed: jobs deleted while no replica observed them are not published now",
                        kind.kindName);
                return;
            }
            cached(kind).forEach(resource -> existing.add(resource.getMetadata().getUid()));
        }
        List<String> watched = namespaces();
        List<Transition> deleted = history.deleted(existing, ns -> watched.isEmpty() || watched.contains(ns),
                Instant.now());
        for (Transition transition : deleted) {
            Observation event = transition.observations().get(0);
            // A watch event about the same delete still queued behind this finds the mark and adds nothing.
            sent.put(event.resourceUid(), transition.mark());
            publish(transition.observations()).whenComplete((ok, failure) -> {
                if (failure != null) {
                    sent.remove(event.resourceUid(), transition.mark());
                    LOG.warnf("Could not publish the deletion of %s (uid %s): %s; the next leader publishes it",
                            event.subject(), event.resourceUid(), failure.getMessage());
                }
            });
        }
        if (!deleted.isEmpty()) {
            LOG.infof("%d job(s) deleted while no replica observed them: DELETED published", deleted.size());
        }
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
        CompletableFuture<Void> all = CompletableFuture.allOf(acks);
        inFlight.add(all);
        all.whenComplete((ok, failure) -> inFlight.remove(all));
        return all;
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
