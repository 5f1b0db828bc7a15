package io.flinkcommander.apply;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flinkcommander.command.Command;
import io.flinkcommander.command.JobRef;
import io.flinkcommander.config.CommanderConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.flink.v1beta1.FlinkDeployment;
import org.apache.flink.v1beta1.FlinkSessionJob;
import org.apache.flink.v1beta1.FlinkStateSnapshot;

/**
 * Applies commands as changes to the Flink operator's custom resources. Every change is read,
 * render, check, write-with-resourceVersion: a 409 means someone (the operator, another replica)
 * wrote in between, so we read again and render again on what is there now. See DESIGN.md.
 */
@ApplicationScoped
public class OperatorResourceApplier implements CommandApplier {

    private static final int MAX_NAME = 253;
    /** Marks that a caller of {@code write} has not read the resource yet. */
    private static final Object NOT_READ = new Object();

    private final KubernetesClient client;
    private final ObjectMapper json;
    private final KubernetesCalls calls;
    private final ResourceChecks checks;
    private final int conflictRetries;
    private final int rememberedIds;
    private final boolean snapshotResources;

    public OperatorResourceApplier(KubernetesClient client, ObjectMapper json, CommanderConfig config,
            MeterRegistry registry) {
        this.client = client;
        this.json = json;
        this.calls = new KubernetesCalls(config.apply().retryDeadline(), config.apply().retryBackoff(),
                code -> Counter.builder("commander.kubernetes.api.errors")
                        .description("Failed calls to the Kubernetes API by HTTP code (0: no answer)")
                        .tag("code", String.valueOf(code)).register(registry).increment());
        this.checks = new ResourceChecks(config.policy());
        this.conflictRetries = config.apply().conflictRetries();
        this.rememberedIds = config.apply().rememberedIds();
        this.snapshotResources = config.snapshots().resources();
    }

    @Override
    public Outcome apply(Command command, CommandContext context, java.time.Duration budget) {
        return calls.within(budget, () -> apply(command, context));
    }

    @Override
    public Outcome apply(Command command, CommandContext context) {
        Outcome.Rejected outsideAllowedNamespaces = checks.checkTarget(command.target());
        if (outsideAllowedNamespaces != null) {
            return outsideAllowedNamespaces;
        }
        try {
            if (command instanceof Command.Deploy deploy) {
                return write(FlinkKind.DEPLOYMENT, deploy.target(), context, dataSpecPaths(), NOT_READ,
                        current -> renderDeploy(FlinkKind.DEPLOYMENT, deploy.target(), current, deploy.spec(),
                                deploy.labels(), deploy.annotations(), deploy.isSessionCluster()));
            }
            if (command instanceof Command.DeploySessionJob deploy) {
                Outcome.Rejected wrongCluster = checkSessionCluster(deploy);
                return wrongCluster != null ? wrongCluster
                        : write(FlinkKind.SESSION_JOB, deploy.target(), context, dataSpecPaths(), NOT_READ,
                                current -> renderDeploy(FlinkKind.SESSION_JOB, deploy.target(), current,
                                        deploy.spec(), deploy.labels(), deploy.annotations(), false));
            }
            if (command instanceof Command.Delete delete) {
                return delete(delete.target(), context);
            }
            if (snapshotResources && command instanceof Command.TriggerSavepoint savepoint) {
                return snapshot(savepoint.target(), context, savepoint);
            }
            if (snapshotResources && command instanceof Command.TriggerCheckpoint checkpoint) {
                return snapshot(checkpoint.target(), context, null);
            }
            return edit(command, context);
        } catch (KubernetesCalls.ApiUnavailable e) {
            return e.outcome();
        } catch (KubernetesClientException e) {
            return new Outcome.Failed("Kubernetes API refused the change: " + KubernetesCalls.describe(e));
        }
    }

    // --- rendering: what the resource should look like, from what is there now -----------------------

    /** A resource to write, or why not. */
    private record Rendering(ObjectNode resource, Outcome.Rejected rejected) {
        static Rendering of(ObjectNode resource) {
            return new Rendering(resource, null);
        }

        static Rendering no(Outcome.Rejected rejected) {
            return new Rendering(null, rejected);
        }
    }

    private Rendering renderDeploy(FlinkKind<?> kind, JobRef ref, CustomResource<?, ?> current, Object spec,
            Map<String, String> labels, Map<String, String> annotations, boolean sessionCluster) {
        JsonNode specJson = json.valueToTree(spec);
        if (current == null) {
            ObjectNode resource = newResource(kind, ref);
            resource.with("metadata").set("labels", json.valueToTree(labels));
            resource.with("metadata").set("annotations", json.valueToTree(annotations));
            resource.set("spec", specJson);
            return Rendering.of(resource);
        }
        if (current.getMetadata().getDeletionTimestamp() != null) {
            return Rendering.no(Outcome.Rejected.at("subject", ref + " is being deleted; deploy it again once it is gone"));
        }
        ObjectNode resource = json.valueToTree(current);
        if (kind == FlinkKind.DEPLOYMENT) {
            boolean wasSession = !resource.path("spec").has("job");
            if (wasSession != sessionCluster) {
                return Rendering.no(Outcome.Rejected.at("data.spec.job", wasSession
                        ? ref + " is a session cluster; it cannot become an application cluster"
                        : ref + " is an application cluster; it cannot become a session cluster"));
            }
        } else {
            String cluster = resource.path("spec").path("deploymentName").asText();
            if (!cluster.equals(specJson.path("deploymentName").asText())) {
                return Rendering.no(Outcome.Rejected.at("data.spec.deploymentName", "a session job cannot move to "
                        + "another cluster (runs in " + cluster + "); delete it and deploy it again"));
            }
        }
        resource.with("metadata").with("labels").setAll((ObjectNode) json.valueToTree(labels));
        resource.with("metadata").with("annotations").setAll((ObjectNode) json.valueToTree(annotations));
        resource.set("spec", specJson);
        return Rendering.of(resource);
    }

    /** A session job runs in a session cluster: one that exists may not be an application cluster. */
    private Outcome.Rejected checkSessionCluster(Command.DeploySessionJob deploy) {
        String clusterName = deploy.spec().getDeploymentName();
        var cluster = get(FlinkKind.DEPLOYMENT, new JobRef(deploy.target().namespace(), clusterName));
        // A missing cluster is fine: the operator waits for it, as it does for kubectl users.
        if (cluster != null && cluster.getSpec() != null && cluster.getSpec().getJob() != null) {
            return Outcome.Rejected.at("data.spec.deploymentName", deploy.target().namespace() + "/" + clusterName
                    + " is an application cluster (it has spec.job); session jobs run in a session cluster");
        }
        return null;
    }

    /** Lifecycle commands edit the spec of the FlinkDeployment of that name, else the FlinkSessionJob. */
    private Outcome edit(Command command, CommandContext context) {
        JobRef ref = command.target();
        Existing<?> existing = existing(ref);
        if (existing == null) {
            return Outcome.Rejected.at("subject", "no FlinkDeployment or FlinkSessionJob " + ref);
        }
        return edit(command, context, existing);
    }

    private <R extends CustomResource<?, ?>> Outcome edit(Command command, CommandContext context,
            Existing<R> existing) {
        JobRef ref = command.target();
        FlinkKind<R> kind = existing.kind();
        SpecEdits.Edit edit = SpecEdits.of(command);
        SpecEdits.Target target = new SpecEdits.Target(kind, ref, Nonces.nonce(context.commandId()));
        UnaryOperator<String> paths = command instanceof Command.Upgrade ? patchPaths() : UnaryOperator.identity();
        return write(kind, ref, context, paths, existing.resource(), current -> {
            if (current == null) {
                return Rendering.no(Outcome.Rejected.at("subject", "no " + kind + " " + ref));
            }
            ObjectNode resource = json.valueToTree(current);
            ObjectNode spec = resource.with("spec");
            Outcome.Rejected rejected = edit.apply(target, spec, facts(ref, resource));
            return rejected != null ? Rendering.no(rejected) : Rendering.of(resource);
        });
    }

    private Outcome snapshot(JobRef job, CommandContext context, Command.TriggerSavepoint savepoint) {
        Existing<?> existing = existing(job);
        if (existing == null) {
            return Outcome.Rejected.at("subject", "no FlinkDeployment or FlinkSessionJob " + job);
        }
        FlinkKind<?> kind = existing.kind();
        JsonNode jobResource = json.valueToTree(existing.resource());
        if (!jobResource.path("spec").has("job")) {
            return Outcome.Rejected.at("subject", job + " is a session cluster: it has no job to "
                    + (savepoint != null ? "savepoint" : "checkpoint"));
        }
        String type = savepoint != null ? "savepoint" : "checkpoint";
        JobRef snapshotRef = new JobRef(job.namespace(), snapshotName(job.name(), type, context.commandId()));
        return write(FlinkKind.STATE_SNAPSHOT, snapshotRef, context, UnaryOperator.identity(), NOT_READ, current -> {
            if (current != null) {
                // Named after another command's id? Impossible unless someone took the name by hand.
                return Rendering.no(Outcome.Rejected.at("subject", "FlinkStateSnapshot " + snapshotRef
                        + " already exists and was not made by this command"));
            }
            ObjectNode resource = newResource(FlinkKind.STATE_SNAPSHOT, snapshotRef);
            resource.with("metadata").with("labels").put("flink-commander.io/job", job.name());
            ObjectNode spec = resource.putObject("spec");
            spec.putObject("jobReference").put("kind", kind.kindName()).put("name", job.name());
            if (savepoint != null) {
                ObjectNode sp = spec.putObject("savepoint").put("alreadyExists", false);
                Optional.ofNullable(savepoint.path()).ifPresent(p -> sp.put("path", p));
                Optional.ofNullable(savepoint.formatType()).ifPresent(f -> sp.put("formatType", f));
                Optional.ofNullable(savepoint.disposeOnDelete()).ifPresent(d -> sp.put("disposeOnDelete", d));
            } else {
                spec.putObject("checkpoint");
            }
            return Rendering.of(resource);
        });
    }

    private Outcome delete(JobRef ref, CommandContext context) {
        Existing<?> existing = existing(ref);
        CustomResource<?, ?> current = existing == null ? null : existing.resource();
        if (context.dryRun()) {
            return new Outcome.DryRun(current == null ? NullNode.getInstance() : shown(json.valueToTree(current)));
        }
        if (current == null) {
            // Deleting is declarative: "absent" is what was asked, and a replayed delete lands here.
            return new Outcome.Applied(null, null, "already absent");
        }
        calls.call(() -> client.resource(current).delete());
        return new Outcome.Applied(current.getMetadata().getResourceVersion(), current.getMetadata().getGeneration(),
                null);
    }

    // --- the read-render-check-write loop ----------------------------------------------------------

    /**
     * @param alreadyRead the resource as just read by the caller, used for the first attempt to
     *                    save a read; {@link #NOT_READ} when the caller has not read it
     */
    private <R extends CustomResource<?, ?>> Outcome write(FlinkKind<R> kind, JobRef ref, CommandContext context,
            UnaryOperator<String> toCommandPath, Object alreadyRead, Function<R, Rendering> render) {
        for (int attempt = 0; attempt <= conflictRetries; attempt++) {
            R current = attempt == 0 && alreadyRead != NOT_READ ? kind.type().cast(alreadyRead) : get(kind, ref);
            if (current != null) {
                Optional<AppliedCommands.Entry> seen = appliedCommands(current).find(context.commandId());
                if (seen.isPresent()) {
                    // The same record again (its result was never committed): answer as the first time.
                    return seen.get().record().equals(context.recordPosition())
                            ? applied(current)
                            : new Outcome.Duplicate(current.getMetadata().getResourceVersion(),
                                    current.getMetadata().getGeneration());
                }
            }
            Rendering rendering = render.apply(current);
            if (rendering.rejected() != null) {
                return rendering.rejected();
            }
            ObjectNode resource = rendering.resource();
            JsonNode specBefore = current == null ? MissingNode.getInstance() : json.valueToTree(current).path("spec");
            Outcome.Rejected rejected = checks.check(kind, ref, resource, specBefore, toCommandPath);
            if (rejected != null) {
                return rejected;
            }
            if (context.dryRun()) {
                return new Outcome.DryRun(shown(resource));
            }
            remember(resource, current, context);
            R typed = json.convertValue(resource, kind.type());
            try {
                return applied(current == null
                        ? calls.call(() -> client.resource(typed).create())
                        : calls.call(() -> client.resource(typed).update()));
            } catch (KubernetesClientException e) {
                if (!KubernetesCalls.isConflict(e)) {
                    throw e;
                }
                // Someone wrote in between (or created it first): read again and render again,
                // after a short random pause so that writers racing on one resource spread out.
                KubernetesCalls.pauseBeforeConflictRetry(attempt);
            }
        }
        return new Outcome.Failed("conflict: " + kind + " " + ref + " kept changing under us; gave up after "
                + (conflictRetries + 1) + " attempts");
    }

    /** The FlinkDeployment of that name, else the FlinkSessionJob, with its kind; null when neither exists. */
    private Existing<?> existing(JobRef ref) {
        FlinkDeployment deployment = get(FlinkKind.DEPLOYMENT, ref);
        if (deployment != null) {
            return new Existing<>(FlinkKind.DEPLOYMENT, deployment);
        }
        FlinkSessionJob sessionJob = get(FlinkKind.SESSION_JOB, ref);
        return sessionJob == null ? null : new Existing<>(FlinkKind.SESSION_JOB, sessionJob);
    }

    private record Existing<R extends CustomResource<?, ?>>(FlinkKind<R> kind, R resource) {
    }

    private <R extends CustomResource<?, ?>> R get(FlinkKind<R> kind, JobRef ref) {
        return calls.call(() -> client.resources(kind.type()).inNamespace(ref.namespace()).withName(ref.name()).get());
    }

    /** Facts an edit may need, fetched only if it asks. */
    private SpecEdits.Facts facts(JobRef ref, JsonNode resource) {
        return new SpecEdits.Facts() {
            public JsonNode lastStableSpec() {
                String stable = resource.path("status").path("reconciliationStatus").path("lastStableSpec").asText(null);
                if (stable == null || stable.isBlank()) {
                    return null;
                }
                try {
                    JsonNode parsed = json.readTree(stable);
                    // The operator stores {"spec": ..., "resource_metadata": ...}; older ones the bare spec.
                    return parsed.has("spec") && parsed.has("resource_metadata") ? parsed.get("spec") : parsed;
                } catch (java.io.IOException e) {
                    return null;
                }
            }

            public String latestSavepoint() {
                return OperatorResourceApplier.this.latestSavepoint(ref, resource);
            }
        };
    }

    /** The newest completed savepoint: from FlinkStateSnapshots of the job, and the job's own status. */
    private String latestSavepoint(JobRef ref, JsonNode resource) {
        String best = null;
        String bestTime = "";
        List<FlinkStateSnapshot> snapshots = calls.call(() -> client.resources(FlinkStateSnapshot.class)
                .inNamespace(ref.namespace()).list().getItems());
        for (FlinkStateSnapshot snapshot : snapshots) {
            JsonNode s = json.valueToTree(snapshot);
            boolean ofJob = ref.name().equals(s.path("spec").path("jobReference").path("name").asText());
            boolean completed = "COMPLETED".equals(s.path("status").path("state").asText());
            String time = s.path("status").path("resultTimestamp").asText("");
            if (ofJob && s.path("spec").has("savepoint") && completed && s.path("status").hasNonNull("path")
                    && time.compareTo(bestTime) >= 0) {
                best = s.path("status").path("path").asText();
                bestTime = time;
            }
        }
        JsonNode last = resource.path("status").path("jobStatus").path("savepointInfo").path("lastSavepoint");
        if (last.hasNonNull("location") && last.path("timeStamp").isNumber()) {
            String time = java.time.Instant.ofEpochMilli(last.path("timeStamp").asLong()).toString();
            if (best == null || time.compareTo(bestTime) > 0) {
                best = last.path("location").asText();
            }
        }
        return best;
    }

    // --- metadata -------------------------------------------------------------------------------------

    private ObjectNode newResource(FlinkKind<?> kind, JobRef ref) {
        ObjectNode resource = json.createObjectNode().put("apiVersion", FlinkKind.API_VERSION)
                .put("kind", kind.kindName());
        resource.putObject("metadata").put("namespace", ref.namespace()).put("name", ref.name());
        return resource;
    }

    private AppliedCommands appliedCommands(CustomResource<?, ?> resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return AppliedCommands.parse(json, annotations == null ? null : annotations.get(AppliedCommands.ANNOTATION));
    }

    /** The command's id goes into the same write as its change. */
    private void remember(ObjectNode resource, CustomResource<?, ?> current, CommandContext context) {
        AppliedCommands known = current == null ? AppliedCommands.parse(json, null) : appliedCommands(current);
        resource.with("metadata").with("annotations").put(AppliedCommands.ANNOTATION,
                known.with(json, new AppliedCommands.Origin(context.commandId(), context.recordPosition(), context.commandType(),
                        context.trace()),
                        rememberedIds));
    }

    /** What a dry run shows: the resource as it would be written, without server fields or secrets. */
    private static JsonNode shown(JsonNode resource) {
        ObjectNode copy = (ObjectNode) Redaction.redact(resource);
        copy.remove("status");
        ObjectNode metadata = (ObjectNode) copy.path("metadata");
        if (metadata != null && metadata.isObject()) {
            metadata.remove(List.of("managedFields", "resourceVersion", "uid", "creationTimestamp", "generation"));
        }
        return copy;
    }

    private static String snapshotName(String job, String type, String commandId) {
        String suffix = "-" + type + "-" + Nonces.suffix(commandId);
        return (job.length() + suffix.length() > MAX_NAME ? job.substring(0, MAX_NAME - suffix.length()) : job)
                + suffix;
    }

    private static Outcome applied(CustomResource<?, ?> written) {
        return new Outcome.Applied(written.getMetadata().getResourceVersion(), written.getMetadata().getGeneration(),
                null);
    }

    /** A deploy's fields are under data.spec, data.labels, data.annotations. */
    private static UnaryOperator<String> dataSpecPaths() {
        return path -> path.startsWith("spec") ? "data." + path
                : path.startsWith("metadata.labels") ? "data.labels" + path.substring("metadata.labels".length())
                : path.startsWith("metadata.annotations")
                        ? "data.annotations" + path.substring("metadata.annotations".length())
                        : path;
    }

    /** An upgrade's fields are under data.patch. */
    private static UnaryOperator<String> patchPaths() {
        return path -> path.startsWith("spec.") ? "data.patch." + path.substring("spec.".length()) : path;
    }
}
