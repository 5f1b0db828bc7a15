package io.flinkcommander.command;

import java.util.Arrays;
import java.util.Optional;

/** How the operator carries state across a suspend or upgrade; wire values as in the CRD. */
public enum UpgradeMode {
    STATELESS("stateless"),
    SAVEPOINT("savepoint"),
    LAST_STATE("last-state");

    private final String wireName;

    UpgradeMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<UpgradeMode> fromWire(String value) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(value)).findFirst();
    }
}
