package io.flinkcommander.apply;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.flinkcommander.command.Command;
import io.flinkcommander.command.JobRef;
import io.flinkcommander.command.UpgradeMode;

/**
 * What each lifecycle command does to an existing resource's spec, as an edit of the spec's JSON
 * (the same for FlinkDeployment and FlinkSessionJob). Pure: the facts an edit needs from
 * Kubernetes (the last stable spec, the newest savepoint) come in through {@link Facts}.
 */
final class SpecEdits {

    /** What an edit may need to know beyond the spec. */
    interface Facts {
        /** {@code status.reconciliationStatus.lastStableSpec}'s spec, or null. */
        JsonNode lastStableSpec();

        /** The newest completed savepoint's path, or null. */
        String latestSavepoint();
    }

    /** One edit; returns why it cannot be made, or null after changing {@code spec} in place. */
    @FunctionalInterface
    interface Edit {
        Outcome.Rejected apply(Target target, ObjectNode spec, Facts facts);
    }

    /** @param nonce derived from the command id, see {@link Nonces} */
    record Target(FlinkKind<?> kind, JobRef ref, long nonce) {
    }

    private SpecEdits() {
    }

    static Edit of(Command command) {
        if (command instanceof Command.Suspend suspend) {
            return (t, spec, facts) -> suspend(t, spec, suspend.upgradeMode());
        }
        if (command instanceof Command.Resume) {
            return SpecEdits::resume;
        }
        if (command instanceof Command.Upgrade upgrade) {
            return (t, spec, facts) -> upgrade(t, spec, upgrade.patch());
        }
        if (command instanceof Command.Restart) {
            return (t, spec, facts) -> deploymentOnly(t, "restart", () -> spec.put("restartNonce", t.nonce()));
        }
        if (command instanceof Command.TriggerSavepoint savepoint) {
            return (t, spec, facts) -> triggerByNonce(t, spec, "savepointTriggerNonce", savepoint);
        }
        if (command instanceof Command.TriggerCheckpoint) {
            return (t, spec, facts) -> triggerByNonce(t, spec, "checkpointTriggerNonce", null);
        }
        if (command instanceof Command.RedeployFromSavepoint redeploy) {
            return (t, spec, facts) -> redeploy(t, spec, redeploy, facts);
        }
        if (command instanceof Command.Scale scale) {
            return (t, spec, facts) -> scale(t, spec, scale);
        }
        if (command instanceof Command.Rollback) {
            return (t, spec, facts) -> deploymentOnly(t, "rollback", () -> rollback(t, spec, facts));
        }
        if (command instanceof Command.Configure configure) {
            return (t, spec, facts) -> configure(t, spec, configure);
        }
        throw new IllegalArgumentException(command.type() + " is not an edit of an existing spec");
    }

    private static Outcome.Rejected suspend(Target t, ObjectNode spec, UpgradeMode mode) {
        return withJob(t, spec, "suspend", job -> {
            if (mode == UpgradeMode.LAST_STATE && t.kind() == FlinkKind.SESSION_JOB) {
                return Outcome.Rejected.at("data.upgradeMode", "last-state is not supported for session jobs");
            }
            job.put("state", "suspended");
            if (mode != null) {
                job.put("upgradeMode", mode.wireName());
            }
            return null;
        });
    }

    private static Outcome.Rejected resume(Target t, ObjectNode spec, Facts facts) {
        return withJob(t, spec, "resume", job -> {
            String state = job.path("state").asText("running");
            if (!"suspended".equals(state)) {
                return Outcome.Rejected.at("subject", t.ref() + " is not suspended (spec.job.state is " + state
                        + "): nothing to resume");
            }
            job.put("state", "running");
            return null;
        });
    }

    private static Outcome.Rejected upgrade(Target t, ObjectNode spec, ObjectNode patch) {
        boolean hadJob = spec.has("job");
        String cluster = spec.path("deploymentName").asText(null);
        MergePatch.apply(spec, patch);
        if (hadJob != spec.has("job") && t.kind() == FlinkKind.DEPLOYMENT) {
            return Outcome.Rejected.at("data.patch.job", hadJob
                    ? t.ref() + " is an application cluster; it cannot become a session cluster"
                    : t.ref() + " is a session cluster; it cannot become an application cluster");
        }
        if (t.kind() == FlinkKind.SESSION_JOB && cluster != null
                && !cluster.equals(spec.path("deploymentName").asText(null))) {
            return Outcome.Rejected.at("data.patch.deploymentName", "a session job cannot move to another cluster "
                    + "(runs in " + cluster + "); delete it and deploy it again");
        }
        return null;
    }

    private static Outcome.Rejected triggerByNonce(Target t, ObjectNode spec, String field,
            Command.TriggerSavepoint savepoint) {
        if (savepoint != null && (savepoint.path() != null || savepoint.formatType() != null
                || savepoint.disposeOnDelete() != null)) {
            return Outcome.Rejected.at("data", "path, formatType and disposeOnDelete need FlinkStateSnapshot "
                    + "resources, which are switched off here (commander.snapshots.resources=false)");
        }
        return withJob(t, spec, savepoint != null ? "savepoint" : "checkpoint", job -> {
            job.put(field, t.nonce());
            return null;
        });
    }

    private static Outcome.Rejected redeploy(Target t, ObjectNode spec, Command.RedeployFromSavepoint redeploy,
            Facts facts) {
        return withJob(t, spec, "redeploy", job -> {
            String path = redeploy.latest() ? facts.latestSavepoint() : redeploy.savepointPath();
            if (path == null) {
                return Outcome.Rejected.at("data.latest", "no completed savepoint is known for " + t.ref());
            }
            job.put("initialSavepointPath", path);
            job.put("savepointRedeployNonce", t.nonce());
            return null;
        });
    }

    private static Outcome.Rejected scale(Target t, ObjectNode spec, Command.Scale scale) {
        return withJob(t, spec, "scale", job -> {
            if (scale.parallelism() != null) {
                job.put("parallelism", scale.parallelism());
                return null;
            }
            ObjectNode config = spec.with("flinkConfiguration");
            Map<String, String> overrides = new TreeMap<>();
            String existing = config.path(SpecRules.VERTEX_OVERRIDES).asText("");
            for (String entry : existing.split(",")) {
                int colon = entry.indexOf(':');
                if (colon > 0) {
                    overrides.put(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
                }
            }
            scale.vertexParallelism().forEach((vertex, parallelism) -> overrides.put(vertex, parallelism.toString()));
            config.put(SpecRules.VERTEX_OVERRIDES, String.join(",",
                    overrides.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList()));
            return null;
        });
    }

    private static Outcome.Rejected rollback(Target t, ObjectNode spec, Facts facts) {
        JsonNode stable = facts.lastStableSpec();
        if (stable == null || !stable.isObject()) {
            return Outcome.Rejected.at("subject", t.ref() + " has no stable spec to roll back to "
                    + "(status.reconciliationStatus.lastStableSpec is empty)");
        }
        spec.removeAll();
        spec.setAll((ObjectNode) stable.deepCopy());
        return null;
    }

    private static Outcome.Rejected configure(Target t, ObjectNode spec, Command.Configure configure) {
        if (configure.type() == io.flinkcommander.command.CommandType.CONFIGURE_AUTOSCALER
                && t.kind() != FlinkKind.DEPLOYMENT) {
            return notForSessionJobs(t, "configure-autoscaler");
        }
        ObjectNode config = spec.with("flinkConfiguration");
        configure.settings().forEach((key, value) -> {
            if (value == null) {
                config.remove(key);
            } else {
                config.put(key, value);
            }
        });
        return null;
    }

    private static Outcome.Rejected deploymentOnly(Target t, String verb, java.util.function.Supplier<Object> edit) {
        if (t.kind() != FlinkKind.DEPLOYMENT) {
            return notForSessionJobs(t, verb);
        }
        Object result = edit.get();
        return result instanceof Outcome.Rejected rejected ? rejected : null;
    }

    private static Outcome.Rejected notForSessionJobs(Target t, String verb) {
        return Outcome.Rejected.at("subject", verb + " applies to FlinkDeployments; " + t.ref()
                + " is a FlinkSessionJob" + (verb.equals("restart") ? " (upgrade it to restart its job)" : ""));
    }

    private static Outcome.Rejected withJob(Target t, ObjectNode spec, String verb,
            java.util.function.Function<ObjectNode, Outcome.Rejected> edit) {
        JsonNode job = spec.get("job");
        if (!(job instanceof ObjectNode jobNode)) {
            return Outcome.Rejected.at("subject", t.ref() + " is a session cluster: it has no job to " + verb);
        }
        return edit.apply(jobNode);
    }
}
