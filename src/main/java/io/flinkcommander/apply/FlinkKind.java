package io.flinkcommander.apply;

import io.fabric8.kubernetes.client.CustomResource;

import org.apache.flink.v1beta1.FlinkDeployment;
import org.apache.flink.v1beta1.FlinkSessionJob;
import org.apache.flink.v1beta1.FlinkStateSnapshot;

/** The operator's kinds this service writes. Specs are edited as JSON, which is the same for both job kinds. */
final class FlinkKind<R extends CustomResource<?, ?>> {

    static final String API_VERSION = "flink.apache.org/v1beta1";

    static final FlinkKind<FlinkDeployment> DEPLOYMENT = new FlinkKind<>(FlinkDeployment.class, "FlinkDeployment");
    static final FlinkKind<FlinkSessionJob> SESSION_JOB = new FlinkKind<>(FlinkSessionJob.class, "FlinkSessionJob");
    static final FlinkKind<FlinkStateSnapshot> STATE_SNAPSHOT = new FlinkKind<>(FlinkStateSnapshot.class,
            "FlinkStateSnapshot");

    private final Class<R> type;
    private final String name;

    private FlinkKind(Class<R> type, String name) {
        this.type = type;
        this.name = name;
    }

    Class<R> type() {
        return type;
    }

    String kindName() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
