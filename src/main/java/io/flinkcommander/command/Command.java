package io.flinkcommander.command;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.v1beta1.FlinkDeploymentSpec;
import org.apache.flink.v1beta1.FlinkSessionJobSpec;

/**
 * A validated command. The specs are the typed models generated from the operator's CRDs:
 * they are the vocabulary of the domain, not a client type.
 */
public sealed interface Command {

    JobRef target();

    CommandType type();

    /** Create the FlinkDeployment, or replace its spec (the operator upgrades per upgradeMode). */
    record Deploy(JobRef target, FlinkDeploymentSpec spec, Map<String, String> labels,
            Map<String, String> annotations) implements Command {
        public CommandType type() {
            return CommandType.DEPLOY;
        }

        /** No {@code spec.job} means a session cluster. */
        public boolean isSessionCluster() {
            return spec.getJob() == null;
        }
    }

    /** Create the FlinkSessionJob, or replace its spec. */
    record DeploySessionJob(JobRef target, FlinkSessionJobSpec spec, Map<String, String> labels,
            Map<String, String> annotations) implements Command {
        public CommandType type() {
            return CommandType.DEPLOY_SESSION_JOB;
        }
    }

    /** {@code spec.job.state=suspended}, optionally with the upgrade mode to suspend with. */
    record Suspend(JobRef target, UpgradeMode upgradeMode) implements Command {
        public CommandType type() {
            return CommandType.SUSPEND;
        }
    }

    /** {@code spec.job.state=running} for a suspended job. */
    record Resume(JobRef target) implements Command {
        public CommandType type() {
            return CommandType.RESUME;
        }
    }

    /** Delete the resource; deleting what is already gone is not an error. */
    record Delete(JobRef target) implements Command {
        public CommandType type() {
            return CommandType.DELETE;
        }
    }

    /** A JSON merge patch (RFC 7386) of the spec; the operator upgrades per upgradeMode. */
    record Upgrade(JobRef target, ObjectNode patch) implements Command {
        public CommandType type() {
            return CommandType.UPGRADE;
        }
    }

    /** A new {@code spec.restartNonce}: the operator restarts the job. FlinkDeployment only. */
    record Restart(JobRef target) implements Command {
        public CommandType type() {
            return CommandType.RESTART;
        }
    }

    /** A manual savepoint; {@code formatType}, {@code path} and {@code disposeOnDelete} may be null. */
    record TriggerSavepoint(JobRef target, String formatType, String path, Boolean disposeOnDelete)
            implements Command {
        public CommandType type() {
            return CommandType.SAVEPOINT;
        }
    }

    /** A manual checkpoint. */
    record TriggerCheckpoint(JobRef target) implements Command {
        public CommandType type() {
            return CommandType.CHECKPOINT;
        }
    }

    /** Restart the job from {@code savepointPath}, or from the newest completed savepoint known when {@code latest}. */
    record RedeployFromSavepoint(JobRef target, String savepointPath, boolean latest) implements Command {
        public CommandType type() {
            return CommandType.REDEPLOY_FROM_SAVEPOINT;
        }
    }

    /** {@code parallelism} for the whole job, or per-vertex overrides (vertex id to parallelism). */
    record Scale(JobRef target, Long parallelism, Map<String, Integer> vertexParallelism) implements Command {
        public CommandType type() {
            return CommandType.SCALE;
        }
    }

    /** Re-apply {@code status.reconciliationStatus.lastStableSpec}. FlinkDeployment only. */
    record Rollback(JobRef target) implements Command {
        public CommandType type() {
            return CommandType.ROLLBACK;
        }
    }

    /**
     * Set (or, with a null value, remove) {@code flinkConfiguration} entries: what
     * configure-autoscaler and savepoint-policy come to, already translated to Flink's keys.
     */
    record Configure(JobRef target, CommandType type, Map<String, String> settings) implements Command {
    }
}
