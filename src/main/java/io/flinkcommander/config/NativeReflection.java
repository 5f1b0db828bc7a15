package io.flinkcommander.config;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native executable must be able to reach by reflection, which GraalVM cannot see from the
 * code (JVM builds ignore this class). Nested classes are included ({@code ignoreNested = false}
 * is the default), so the generated CRD classes' enums come with their classes.
 *
 * <ul>
 * <li>Every class generated from the operator's CRDs ({@code org.apache.flink.v1beta1}): Jackson
 * reads and writes them, and CommandParser reads their enums' {@code @JsonProperty} by reflection.
 * <li>Every record written or read as JSON with an ObjectMapper of our own (result and event
 * data, the annotations kept on resources) or returned over HTTP.
 * <li>The Flink option classes whose public static ConfigOption fields {@code apply.FlinkOptions}
 * collects by reflection.
 * </ul>
 * NativeReflectionTest fails when a generated class or a JSON record is missing here. The CRD
 * schemas are resources: {@code quarkus.native.resources.includes} in application.properties.
 */
final class NativeReflection {

    private NativeReflection() {
    }

    @RegisterForReflection(targets = {
        org.apache.flink.v1beta1.FlinkDeployment.class,
        org.apache.flink.v1beta1.FlinkDeploymentSpec.class,
        org.apache.flink.v1beta1.FlinkDeploymentStatus.class,
        org.apache.flink.v1beta1.FlinkSessionJob.class,
        org.apache.flink.v1beta1.FlinkSessionJobSpec.class,
        org.apache.flink.v1beta1.FlinkSessionJobStatus.class,
        org.apache.flink.v1beta1.FlinkStateSnapshot.class,
        org.apache.flink.v1beta1.FlinkStateSnapshotSpec.class,
        org.apache.flink.v1beta1.FlinkStateSnapshotStatus.class,
        org.apache.flink.v1beta1.flinkdeploymentspec.Ingress.class,
        org.apache.flink.v1beta1.flinkdeploymentspec.Job.class,
        org.apache.flink.v1beta1.flinkdeploymentspec.JobManager.class,
        org.apache.flink.v1beta1.flinkdeploymentspec.TaskManager.class,
        org.apache.flink.v1beta1.flinkdeploymentspec.ingress.Tls.class,
        org.apache.flink.v1beta1.flinkdeploymentspec.jobmanager.Resource.class,
        org.apache.flink.v1beta1.flinkdeploymentspec.taskmanager.Resource.class,
        org.apache.flink.v1beta1.flinkdeploymentstatus.Conditions.class,
        org.apache.flink.v1beta1.flinkdeploymentstatus.JobStatus.class,
        org.apache.flink.v1beta1.flinkdeploymentstatus.ReconciliationStatus.class,
        org.apache.flink.v1beta1.flinkdeploymentstatus.TaskManager.class,
        org.apache.flink.v1beta1.flinkdeploymentstatus.jobstatus.CheckpointInfo.class,
        org.apache.flink.v1beta1.flinkdeploymentstatus.jobstatus.SavepointInfo.class,
        org.apache.flink.v1beta1.flinkdeploymentstatus.jobstatus.checkpointinfo.LastCheckpoint.class,
        org.apache.flink.v1beta1.flinkdeploymentstatus.jobstatus.savepointinfo.LastSavepoint.class,
        org.apache.flink.v1beta1.flinkdeploymentstatus.jobstatus.savepointinfo.SavepointHistory.class,
        org.apache.flink.v1beta1.flinksessionjobspec.Job.class,
        org.apache.flink.v1beta1.flinksessionjobstatus.JobStatus.class,
        org.apache.flink.v1beta1.flinksessionjobstatus.ReconciliationStatus.class,
        org.apache.flink.v1beta1.flinksessionjobstatus.jobstatus.CheckpointInfo.class,
        org.apache.flink.v1beta1.flinksessionjobstatus.jobstatus.SavepointInfo.class,
        org.apache.flink.v1beta1.flinksessionjobstatus.jobstatus.checkpointinfo.LastCheckpoint.class,
        org.apache.flink.v1beta1.flinksessionjobstatus.jobstatus.savepointinfo.LastSavepoint.class,
        org.apache.flink.v1beta1.flinksessionjobstatus.jobstatus.savepointinfo.SavepointHistory.class,
        org.apache.flink.v1beta1.flinkstatesnapshotspec.Checkpoint.class,
        org.apache.flink.v1beta1.flinkstatesnapshotspec.JobReference.class,
        org.apache.flink.v1beta1.flinkstatesnapshotspec.Savepoint.class
    })
    static final class GeneratedCrdClasses {
    }

    @RegisterForReflection(targets = {
        io.flinkcommander.events.CommandResult.class,
        io.flinkcommander.command.FieldError.class,
        io.flinkcommander.events.ObservedEvent.LifecycleChanged.class,
        io.flinkcommander.events.ObservedEvent.JobStatusChanged.class,
        io.flinkcommander.events.ObservedEvent.OperatorEventRecorded.class,
        io.flinkcommander.events.ObservedEvent.SavepointRecorded.class,
        io.flinkcommander.events.ObservedEvent.ScalingDecided.class,
        io.flinkcommander.observe.LastPublished.class,
        io.flinkcommander.observe.JobView.class,
        io.flinkcommander.catalog.CatalogEntry.class,
        io.flinkcommander.http.JobsResource.JobSummary.class
    }, classNames = {
        // package-private: the applied-commands annotation's entries
        "io.flinkcommander.apply.AppliedCommands$Entry"
    })
    static final class JsonRecords {
    }

    /** The classes {@code apply.FlinkOptions} reads its options from, by name. */
    @RegisterForReflection(fields = true, methods = false, classNames = {
        "org.apache.flink.configuration.CoreOptions",
        "org.apache.flink.configuration.TaskManagerOptions",
        "org.apache.flink.configuration.JobManagerOptions",
        "org.apache.flink.configuration.CheckpointingOptions",
        "org.apache.flink.configuration.StateBackendOptions",
        "org.apache.flink.configuration.StateRecoveryOptions",
        "org.apache.flink.configuration.RestartStrategyOptions",
        "org.apache.flink.configuration.PipelineOptions",
        "org.apache.flink.configuration.ExecutionOptions",
        "org.apache.flink.configuration.RestOptions",
        "org.apache.flink.configuration.HighAvailabilityOptions",
        "org.apache.flink.configuration.MetricOptions",
        "org.apache.flink.configuration.SecurityOptions",
        "org.apache.flink.configuration.NettyShuffleEnvironmentOptions",
        "org.apache.flink.configuration.DeploymentOptions",
        "org.apache.flink.configuration.WebOptions",
        "org.apache.flink.configuration.BlobServerOptions",
        "org.apache.flink.configuration.ClusterOptions",
        "org.apache.flink.configuration.RpcOptions",
        "org.apache.flink.configuration.HeartbeatManagerOptions",
        "org.apache.flink.configuration.ResourceManagerOptions",
        "org.apache.flink.configuration.BatchExecutionOptions",
        "org.apache.flink.configuration.JMXServerOptions"
    })
    static final class FlinkOptionClasses {
    }
}
