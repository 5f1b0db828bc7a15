package io.flinkcommander.apply;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

import io.fabric8.kubernetes.client.CustomResource;
import io.flinkcommander.command.UpgradeMode;

import org.apache.flink.v1beta1.FlinkDeployment;
import org.apache.flink.v1beta1.FlinkSessionJob;
import org.apache.flink.v1beta1.flinkdeploymentspec.Job;


/**
 * The two kinds a job command can target. The generated models give each kind its own
 * {@code Job} class and enums; this keeps the one difference that matters (where the job
 * state lives) in one place, so the command logic is written once.
 */
sealed interface FlinkKind<R extends CustomResource<?, ?>> {

    FlinkKind<FlinkDeployment> DEPLOYMENT = new Deployment();
    FlinkKind<FlinkSessionJob> SESSION_JOB = new SessionJob();

    Class<R> type();

    String kindName();

    /** {@code spec.job.state} as its wire value, or empty for a session cluster (no job). */
    Optional<String> jobState(R resource);

    void setJobState(R resource, String state);

    void setUpgradeMode(R resource, UpgradeMode mode);

    final class Deployment implements FlinkKind<FlinkDeployment> {
        public Class<FlinkDeployment> type() {
            return FlinkDeployment.class;
        }

        public String kindName() {
            return "FlinkDeployment";
        }

        public Optional<String> jobState(FlinkDeployment d) {
            Job job = d.getSpec() == null ? null : d.getSpec().getJob();
            return job == null ? Optional.empty()
                    : Optional.of(job.getState() == null ? "running" : job.getState().getValue());
        }

        public void setJobState(FlinkDeployment d, String state) {
            d.getSpec().getJob().setState(byWireValue(Job.State.values(), Job.State::getValue, state));
        }

        public void setUpgradeMode(FlinkDeployment d, UpgradeMode mode) {
            d.getSpec().getJob().setUpgradeMode(
                    byWireValue(Job.UpgradeMode.values(), Job.UpgradeMode::getValue, mode.wireName()));
        }
    }

    final class SessionJob implements FlinkKind<FlinkSessionJob> {
        public Class<FlinkSessionJob> type() {
            return FlinkSessionJob.class;
        }

        public String kindName() {
            return "FlinkSessionJob";
        }

        public Optional<String> jobState(FlinkSessionJob j) {
            var job = j.getSpec() == null ? null : j.getSpec().getJob();
            return job == null ? Optional.empty()
                    : Optional.of(job.getState() == null ? "running" : job.getState().getValue());
        }

        public void setJobState(FlinkSessionJob j, String state) {
            j.getSpec().getJob().setState(byWireValue(org.apache.flink.v1beta1.flinksessionjobspec.Job.State.values(),
                    org.apache.flink.v1beta1.flinksessionjobspec.Job.State::getValue, state));
        }

        public void setUpgradeMode(FlinkSessionJob j, UpgradeMode mode) {
            j.getSpec().getJob().setUpgradeMode(byWireValue(org.apache.flink.v1beta1.flinksessionjobspec.Job.UpgradeMode.values(),
                    org.apache.flink.v1beta1.flinksessionjobspec.Job.UpgradeMode::getValue, mode.wireName()));
        }
    }

    private static <E> E byWireValue(E[] values, Function<E, String> wire, String value) {
        return Arrays.stream(values).filter(v -> wire.apply(v).equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no constant for " + value));
    }
}
