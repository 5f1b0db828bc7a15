package io.flinkcommander.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** The manifests in {@code k8s/}, read into fabric8's typed objects. */
public final class Manifests {

    /** The manifests' directory; tests run from the project directory. */
    public static final Path K8S = Path.of("k8s");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {
    }

    /** Every object in a YAML file (one or several documents), typed by its apiVersion and kind. */
    public static List<HasMetadata> objects(Path file) {
        try (InputStream yaml = Files.newInputStream(file)) {
            Object parsed = SERIALIZATION.unmarshal(yaml);
            if (parsed instanceof List<?> list) {
                return list.stream().map(HasMetadata.class::cast).toList();
            }
            return List.of((HasMetadata) parsed);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    /** The one object in {@code file}, which must be a {@code type}. */
    public static <T extends HasMetadata> T load(Path file, Class<T> type) {
        List<HasMetadata> objects = objects(file);
        if (objects.size() != 1 || !type.isInstance(objects.get(0))) {
            throw new IllegalStateException(file + " should hold one " + type.getSimpleName() + ", holds " + objects);
        }
        return type.cast(objects.get(0));
    }

    /** Every manifest file (YAML) under {@code k8s/}, except the vendored CRDs and kustomizations. */
    public static List<Path> manifestFiles() {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.startsWith(K8S.resolve("crds")))
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + K8S, e);
        }
    }
}
