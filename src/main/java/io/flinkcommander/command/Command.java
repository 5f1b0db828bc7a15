package io.flinkcommander.command;

import java.util.Map;

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
}
