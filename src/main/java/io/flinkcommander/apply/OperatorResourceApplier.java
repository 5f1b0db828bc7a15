package io.flinkcommander.apply;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flinkcommander.command.Command;
import io.flinkcommander.command.JobRef;
import io.flinkcommander.command.UpgradeMode;
import io.flinkcommander.config.CommanderConfig;

import org.apache.flink.v1beta1.FlinkDeployment;
import org.apache.flink.v1beta1.FlinkSessionJob;

/**
 * Applies commands as changes to the Flink operator's custom resources. Every change is
 * read, decide, write-with-resourceVersion: a 409 means someone (the operator, another command)
 * wrote in between, so we read again and decide again on what is there now.
 */
@ApplicationScoped
public class OperatorResourceApplier implements CommandApplier {

    private final KubernetesClient client;
    private final ObjectMapper json;
    private final KubernetesCalls calls;
    private final int conflictRetries;
    private final int rememberedIds;

    public OperatorResourceApplier(KubernetesClient client, ObjectMapper json, CommanderConfig config) {
        this.client = client;
        this.json = json;
        this.calls = new KubernetesCalls(config.apply().retryDeadline(), config.apply().retryBackoff());
        this.conflictRetries = config.apply().conflictRetries();
        this.rememberedIds = config.apply().rememberedIds();
    }

    @Override
    public Outcome apply(Command command, CommandOrigin origin) {
        try {
            if (command instanceof Command.Deploy deploy) {
                return change(FlinkKind.DEPLOYMENT, deploy.target(), origin, current -> planDeploy(deploy, current));
            }
            if (command instanceof Command.DeploySessionJob deploy) {
                return change(FlinkKind.SESSION_JOB, deploy.target(), origin,
                        current -> planSessionJob(deploy, current));
            }
            if (command instanceof Command.Suspend suspend) {
                return onExisting(suspend.target(), origin, new JobStateChange() {
                    public <R extends CustomResource<?, ?>> Plan<R> plan(FlinkKind<R> kind, R current) {
                        return planSuspend(kind, current, suspend.upgradeMode());
                    }
                });
            }
            if (command instanceof Command.Resume resume) {
                return onExisting(resume.target(), origin, new JobStateChange() {
                    public <R extends CustomResource<?, ?>> Plan<R> plan(FlinkKind<R> kind, R current) {
                        return planResume(kind, current);
                    }
                });
            }
            return deleteIfPresent(command.target());
        } catch (KubernetesCalls.ApiUnavailable e) {
            return new Outcome.Failed(e.getMessage());
        } catch (KubernetesClientException e) {
            return new Outcome.Failed("Kubernetes API refused the change: " + KubernetesCalls.describe(e));
        }
    }

    // --- plans: pure decisions on what is there now --------------------------------------------

    private Plan<FlinkDeployment> planDeploy(Command.Deploy deploy, FlinkDeployment current) {
        if (current == null) {
            FlinkDeployment created = new FlinkDeployment();
            created.setMetadata(newMetadata(deploy.target(), deploy.labels(), deploy.annotations()));
            created.setSpec(deploy.spec());
            return new Plan.Create<>(created);
        }
        if (isBeingDeleted(current)) {
            return Plan.reject("subject", deploy.target() + " is being deleted; deploy it again once it is gone");
        }
        boolean wasSession = current.getSpec() == null || current.getSpec().getJob() == null;
        if (wasSession != deploy.isSessionCluster()) {
            return Plan.reject("data.spec.job", wasSession
                    ? deploy.target() + " is a session cluster; it cannot become an application cluster"
                    : deploy.target() + " is an application cluster; it cannot become a session cluster");
        }
        current.setSpec(deploy.spec());
        mergeInto(current.getMetadata(), deploy.labels(), deploy.annotations());
        return new Plan.Update<>(current);
    }

    private Plan<FlinkSessionJob> planSessionJob(Command.DeploySessionJob deploy, FlinkSessionJob current) {
        String clusterName = deploy.spec().getDeploymentName();
        FlinkDeployment cluster = calls.call(() -> client.resources(FlinkDeployment.class)
                .inNamespace(deploy.target().namespace()).withName(clusterName).get());
        // A missing cluster is fine: the operator waits for it, as it does for kubectl users.
        if (cluster != null && cluster.getSpec() != null && cluster.getSpec().getJob() != null) {
            return Plan.reject("data.spec.deploymentName", deploy.target().namespace() + "/" + clusterName
                    + " is an application cluster (it has spec.job); session jobs run in a session cluster");
        }
        if (current == null) {
            FlinkSessionJob created = new FlinkSessionJob();
            created.setMetadata(newMetadata(deploy.target(), deploy.labels(), deploy.annotations()));
            created.setSpec(deploy.spec());
            return new Plan.Create<>(created);
        }
        if (isBeingDeleted(current)) {
            return Plan.reject("subject", deploy.target() + " is being deleted; deploy it again once it is gone");
        }
        if (!clusterName.equals(current.getSpec().getDeploymentName())) {
            return Plan.reject("data.spec.deploymentName", "a session job cannot move to another cluster (runs in "
                    + current.getSpec().getDeploymentName() + "); delete it and deploy it again");
        }
        current.setSpec(deploy.spec());
        mergeInto(current.getMetadata(), deploy.labels(), deploy.annotations());
        return new Plan.Update<>(current);
    }

    private <R extends CustomResource<?, ?>> Plan<R> planSuspend(FlinkKind<R> kind, R current, UpgradeMode mode) {
        Optional<String> state = kind.jobState(current);
        if (state.isEmpty()) {
            return Plan.reject("subject", refOf(current) + " is a session cluster: it has no job to suspend");
        }
        if (mode == UpgradeMode.LAST_STATE && kind == FlinkKind.SESSION_JOB) {
            return Plan.reject("data.upgradeMode", "last-state is not supported for session jobs");
        }
        kind.setJobState(current, "suspended");
        if (mode != null) {
            kind.setUpgradeMode(current, mode);
        }
        return new Plan.Update<>(current);
    }

    private <R extends CustomResource<?, ?>> Plan<R> planResume(FlinkKind<R> kind, R current) {
        Optional<String> state = kind.jobState(current);
        if (state.isEmpty()) {
            return Plan.reject("subject", refOf(current) + " is a session cluster: it has no job to resume");
        }
        if (!"suspended".equals(state.get())) {
            return Plan.reject("subject", refOf(current) + " is not suspended (spec.job.state is "
                    + state.get() + "): nothing to resume");
        }
        kind.setJobState(current, "running");
        return new Plan.Update<>(current);
    }

    // --- the read-decide-write loop ---------------------------------------------------------------

    private interface JobStateChange {
        <R extends CustomResource<?, ?>> Plan<R> plan(FlinkKind<R> kind, R current);
    }

    /** Suspend and resume target either kind: the FlinkDeployment of that name, else the FlinkSessionJob. */
    private Outcome onExisting(JobRef ref, CommandOrigin origin, JobStateChange change) {
        FlinkKind<?> kind = existingKind(ref);
        if (kind == null) {
            return Outcome.Rejected.at("subject", "no FlinkDeployment or FlinkSessionJob " + ref);
        }
        return changeExisting(kind, ref, origin, change);
    }

    private <R extends CustomResource<?, ?>> Outcome changeExisting(FlinkKind<R> kind, JobRef ref,
            CommandOrigin origin, JobStateChange change) {
        return change(kind, ref, origin, current -> current == null
                ? Plan.reject("subject", "no " + kind.kindName() + " " + ref)
                : change.plan(kind, current));
    }

    private <R extends CustomResource<?, ?>> Outcome change(FlinkKind<R> kind, JobRef ref, CommandOrigin origin,
            Function<R, Plan<R>> decide) {
        for (int attempt = 0; attempt <= conflictRetries; attempt++) {
            R current = get(kind, ref);
            if (current != null) {
                Optional<AppliedCommands.Entry> seen = appliedCommands(current).find(origin.commandId());
                if (seen.isPresent()) {
                    // The same record again (its result was never committed): answer as the first time.
                    return seen.get().record().equals(origin.recordPosition())
                            ? applied(current)
                            : new Outcome.Duplicate(current.getMetadata().getResourceVersion(),
                                    current.getMetadata().getGeneration());
                }
            }
            Plan<R> plan = decide.apply(current);
            try {
                if (plan instanceof Plan.Reject<R> reject) {
                    return reject.rejected();
                }
                if (plan instanceof Plan.Create<R> create) {
                    remember(create.resource(), null, origin);
                    return applied(calls.call(() -> client.resource(create.resource()).create()));
                }
                R update = ((Plan.Update<R>) plan).resource();
                remember(update, current, origin);
                return applied(calls.call(() -> client.resource(update).update()));
            } catch (KubernetesClientException e) {
                if (!KubernetesCalls.isConflict(e)) {
                    throw e;
                }
                // Someone wrote in between (or created it first): read again and decide again.
            }
        }
        return new Outcome.Failed("conflict: " + kind.kindName() + " " + ref + " kept changing under us; gave up after "
                + (conflictRetries + 1) + " attempts");
    }

    private Outcome deleteIfPresent(JobRef ref) {
        FlinkKind<?> kind = existingKind(ref);
        if (kind == null) {
            // Deleting is declarative: "absent" is what was asked, and a replayed delete lands here.
            return new Outcome.Applied(null, null, "already absent");
        }
        CustomResource<?, ?> current = get(kind, ref);
        if (current == null) {
            return new Outcome.Applied(null, null, "already absent");
        }
        calls.call(() -> client.resource(current).delete());
        return new Outcome.Applied(current.getMetadata().getResourceVersion(), current.getMetadata().getGeneration(),
                null);
    }

    private FlinkKind<?> existingKind(JobRef ref) {
        if (get(FlinkKind.DEPLOYMENT, ref) != null) {
            return FlinkKind.DEPLOYMENT;
        }
        return get(FlinkKind.SESSION_JOB, ref) != null ? FlinkKind.SESSION_JOB : null;
    }

    private <R extends CustomResource<?, ?>> R get(FlinkKind<R> kind, JobRef ref) {
        return calls.call(() -> client.resources(kind.type()).inNamespace(ref.namespace()).withName(ref.name()).get());
    }

    // --- metadata ---------------------------------------------------------------------------------

    private AppliedCommands appliedCommands(CustomResource<?, ?> resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return AppliedCommands.parse(json, annotations == null ? null : annotations.get(AppliedCommands.ANNOTATION));
    }

    private void remember(CustomResource<?, ?> target, CustomResource<?, ?> current, CommandOrigin origin) {
        AppliedCommands known = current == null ? AppliedCommands.parse(json, null) : appliedCommands(current);
        Map<String, String> annotations = new HashMap<>(Optional.ofNullable(target.getMetadata().getAnnotations())
                .orElse(Map.of()));
        annotations.put(AppliedCommands.ANNOTATION, known.with(json, origin, rememberedIds));
        target.getMetadata().setAnnotations(annotations);
    }

    private static ObjectMeta newMetadata(JobRef ref, Map<String, String> labels, Map<String, String> annotations) {
        return new ObjectMetaBuilder().withNamespace(ref.namespace()).withName(ref.name())
                .withLabels(new HashMap<>(labels)).withAnnotations(new HashMap<>(annotations)).build();
    }

    private static void mergeInto(ObjectMeta metadata, Map<String, String> labels, Map<String, String> annotations) {
        Map<String, String> mergedLabels = new HashMap<>(Optional.ofNullable(metadata.getLabels()).orElse(Map.of()));
        mergedLabels.putAll(labels);
        metadata.setLabels(mergedLabels);
        Map<String, String> mergedAnnotations = new HashMap<>(
                Optional.ofNullable(metadata.getAnnotations()).orElse(Map.of()));
        mergedAnnotations.putAll(annotations);
        metadata.setAnnotations(mergedAnnotations);
    }

    private static boolean isBeingDeleted(CustomResource<?, ?> resource) {
        return resource.getMetadata().getDeletionTimestamp() != null;
    }

    private static String refOf(CustomResource<?, ?> resource) {
        return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }

    private static Outcome applied(CustomResource<?, ?> written) {
        return new Outcome.Applied(written.getMetadata().getResourceVersion(), written.getMetadata().getGeneration(),
                null);
    }

    /** What to write, decided from what is there. */
    private sealed interface Plan<R> {
        record Create<R>(R resource) implements Plan<R> {
        }

        record Update<R>(R resource) implements Plan<R> {
        }

        record Reject<R>(Outcome.Rejected rejected) implements Plan<R> {
        }

        static <R> Plan<R> reject(String path, String message) {
            return new Reject<>(Outcome.Rejected.at(path, message));
        }
    }
}
