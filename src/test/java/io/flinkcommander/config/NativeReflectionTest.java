package io.flinkcommander.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;

import org.apache.flink.v1beta1.FlinkDeployment;

/**
 * What a native executable needs and GraalVM cannot see is registered ({@link NativeReflection},
 * {@code quarkus.native.resources.includes}). No GraalVM here: this checks the registration
 * against the classes and resources the build produced, not a native run.
 */
class NativeReflectionTest {

    /**
     * Records never written or read as JSON, with why: every other record must be registered.
     * A new record fails the test until it is registered or listed here.
     */
    static final Map<String, String> NOT_JSON = Map.ofEntries(
            Map.entry("io.flinkcommander.apply.AppliedCommands$Origin", "in memory: who applied a change"),
            Map.entry("io.flinkcommander.apply.CommandContext", "in memory"),
            Map.entry("io.flinkcommander.apply.KubernetesCalls$Budget", "in memory"),
            Map.entry("io.flinkcommander.apply.Outcome$Unavailable", "mapped to CommandResult"),
            Map.entry("io.flinkcommander.pipeline.Handled$Parked", "in memory; its record goes out as the original bytes"),
            Map.entry("io.flinkcommander.pipeline.ParkedJobs$Entry", "in memory"),
            Map.entry("io.flinkcommander.pipeline.BatchTransactions$Settled", "in memory: what became of a batch"),
            Map.entry("io.flinkcommander.events.PublishedEvent", "read from Kafka headers and a JSON tree by hand"),
            Map.entry("io.flinkcommander.events.TopicReadBack$Pass", "in memory"),
            Map.entry("io.flinkcommander.observe.UnobservedDeletes$Last", "in memory"),
            Map.entry("io.flinkcommander.apply.OperatorResourceApplier$Existing", "in memory"),
            Map.entry("io.flinkcommander.apply.OperatorResourceApplier$Rendering", "in memory"),
            Map.entry("io.flinkcommander.apply.Outcome$Applied", "mapped to CommandResult"),
            Map.entry("io.flinkcommander.apply.Outcome$DryRun", "mapped to CommandResult"),
            Map.entry("io.flinkcommander.apply.Outcome$Duplicate", "mapped to CommandResult"),
            Map.entry("io.flinkcommander.apply.Outcome$Failed", "mapped to CommandResult"),
            Map.entry("io.flinkcommander.apply.Outcome$Rejected", "mapped to CommandResult"),
            Map.entry("io.flinkcommander.apply.SpecEdits$Target", "in memory"),
            Map.entry("io.flinkcommander.command.Command$Configure", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.Command$Delete", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.Command$Deploy", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.Command$DeploySessionJob", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.Command$RedeployFromSavepoint", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.Command$Restart", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.Command$Resume", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.Command$Rollback", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.Command$Scale", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.Command$Suspend", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.Command$TriggerCheckpoint", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.Command$TriggerSavepoint", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.Command$Upgrade", "parsed from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.CommandEnvelope", "read from CloudEvents by hand"),
            Map.entry("io.flinkcommander.command.TraceContext", "read from headers and annotations by hand"),
            Map.entry("io.flinkcommander.observe.AutoscalerStateView", "read from JSON trees by hand"),
            Map.entry("io.flinkcommander.observe.ScalingReport$Recorded", "read from Event messages by hand"),
            Map.entry("io.flinkcommander.observe.ResourceObserver$CachedJob", "in memory"),
            Map.entry("io.flinkcommander.observe.NewestCommand", "read from JSON trees by hand"),
            Map.entry("io.flinkcommander.command.CloudEventReader$DataOrError", "in memory"),
            Map.entry("io.flinkcommander.command.JobRef", "in memory"),
            Map.entry("io.flinkcommander.command.Parsed$Invalid", "in memory"),
            Map.entry("io.flinkcommander.command.Parsed$Valid", "in memory"),
            Map.entry("io.flinkcommander.command.ReadResult$Readable", "in memory"),
            Map.entry("io.flinkcommander.command.ReadResult$Unreadable", "in memory"),
            Map.entry("io.flinkcommander.events.Observation", "its event is the JSON"),
            Map.entry("io.flinkcommander.events.OutboundRecord", "a Kafka record, bytes"),
            Map.entry("io.flinkcommander.observe.Leadership$Settings", "configuration"),
            Map.entry("io.flinkcommander.observe.OperatorEventView", "read from JSON trees by hand"),
            Map.entry("io.flinkcommander.observe.ScaleView", "read from JSON trees by hand"),
            Map.entry("io.flinkcommander.observe.SnapshotView", "read from JSON trees by hand"),
            Map.entry("io.flinkcommander.observe.Transition", "in memory"),
            Map.entry("io.flinkcommander.pipeline.CommandProcessor$Decoded", "in memory"),
            Map.entry("io.flinkcommander.pipeline.Handled$Answered", "in memory"),
            Map.entry("io.flinkcommander.pipeline.Handled$DeadLettered", "in memory"),
            Map.entry("io.flinkcommander.pipeline.InboundRecord", "a Kafka record, bytes"));

    static Set<String> registered() {
        Set<String> names = new TreeSet<>();
        for (Class<?> holder : NativeReflection.class.getDeclaredClasses()) {
            RegisterForReflection registration = holder.getAnnotation(RegisterForReflection.class);
            if (registration == null) {
                continue;
            }
            assertThat(registration.ignoreNested()).as(holder + " registers nested classes too").isFalse();
            for (Class<?> target : registration.targets()) {
                names.add(target.getName());
            }
            names.addAll(List.of(registration.classNames()));
        }
        return names;
    }

    /** Registered itself, or nested in a registered class (nested classes come along). */
    static boolean isRegistered(String className, Set<String> registered) {
        for (String name = className; ; name = name.substring(0, name.lastIndexOf('$'))) {
            if (registered.contains(name)) {
                return true;
            }
            if (name.indexOf('$') < 0) {
                return false;
            }
        }
    }

    static Path classesDirectory() throws URISyntaxException {
        return Path.of(FlinkDeployment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static List<String> classesUnder(String packageName) throws IOException, URISyntaxException {
        Path root = classesDirectory();
        Path dir = root.resolve(packageName.replace('.', '/'));
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(n -> !n.endsWith("package-info"))
                    .sorted().toList();
        }
    }

    @Test
    void everyClassGeneratedFromTheCrdsIsRegistered() throws Exception {
        Set<String> registered = registered();
        List<String> generated = classesUnder("org.apache.flink.v1beta1");

        assertThat(generated).contains("org.apache.flink.v1beta1.FlinkDeployment",
                "org.apache.flink.v1beta1.flinkdeploymentspec.Job$UpgradeMode");
        assertThat(generated.stream().filter(c -> !isRegistered(c, registered)).toList())
                .as("generated CRD classes not in NativeReflection").isEmpty();
    }

    @Test
    void everyRecordIsRegisteredUnlessItNeverMeetsJson() throws Exception {
        Set<String> registered = registered();
        List<String> unregistered = new ArrayList<>();
        List<String> listedButRegistered = new ArrayList<>();
        for (String name : classesUnder("io.flinkcommander")) {
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            if (!type.isRecord()) {
                continue;
            }
            boolean isRegistered = isRegistered(name, registered);
            if (!isRegistered && !NOT_JSON.containsKey(name)) {
                unregistered.add(name);
            }
            if (isRegistered && NOT_JSON.containsKey(name)) {
                listedButRegistered.add(name);
            }
        }

        assertThat(unregistered).as("records neither registered in NativeReflection nor listed in NOT_JSON").isEmpty();
        assertThat(listedButRegistered).as("records both registered and listed as never JSON").isEmpty();
        assertThat(registered).contains("io.flinkcommander.events.CommandResult",
                "io.flinkcommander.events.ObservedEvent$SavepointRecorded", "io.flinkcommander.apply.AppliedCommands$Entry");
    }

    @Test
    void everyRegisteredClassNameExists() {
        for (String name : registered()) {
            assertThat(name).satisfies(n -> Class.forName(n, false, getClass().getClassLoader()));
        }
    }

    @Test
    void theFlinkOptionClassesFlinkOptionsReadsAreRegistered() throws Exception {
        Field field = Class.forName("io.flinkcommander.apply.FlinkOptions").getDeclaredField("OPTION_CLASSES");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        List<String> optionClasses = (List<String>) field.get(null);

        assertThat(registered()).containsAll(optionClasses.stream().map(c -> "org.apache.flink.configuration." + c).toList());
    }

    @Test
    void theCrdSchemasAreIncludedAsNativeResources() throws Exception {
        Properties properties = new Properties();
        try (var in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        }
        String includes = properties.getProperty("quarkus.native.resources.includes");
        assertThat(includes).isNotBlank();
        List<PathMatcher> matchers = Stream.of(includes.split(","))
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob.trim())).toList();
        Path root = classesDirectory();
        List<Path> crds;
        try (Stream<Path> files = Files.list(root.resolve("crds"))) {
            crds = files.map(root::relativize).toList();
        }

        assertThat(crds).hasSize(4).allSatisfy(crd -> assertThat(matchers).anyMatch(m -> m.matches(crd)));
    }
}
