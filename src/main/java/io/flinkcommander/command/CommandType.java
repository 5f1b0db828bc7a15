package io.flinkcommander.command;

import java.util.Arrays;
import java.util.Optional;

/** The CloudEvent {@code type} of each command this service understands. */
public enum CommandType {
    DEPLOY("flink.job.deploy"),
    DEPLOY_SESSION_JOB("flink.sessionjob.deploy"),
    SUSPEND("flink.job.suspend"),
    RESUME("flink.job.resume"),
    DELETE("flink.job.delete"),
    UPGRADE("flink.job.upgrade"),
    RESTART("flink.job.restart"),
    SAVEPOINT("flink.job.savepoint"),
    CHECKPOINT("flink.job.checkpoint"),
    REDEPLOY_FROM_SAVEPOINT("flink.job.redeploy-from-savepoint"),
    SCALE("flink.job.scale"),
    ROLLBACK("flink.job.rollback"),
    CONFIGURE_AUTOSCALER("flink.job.configure-autoscaler"),
    SAVEPOINT_POLICY("flink.job.savepoint-policy");

    private final String wireName;

    CommandType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<CommandType> fromWire(String type) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(type)).findFirst();
    }
}
