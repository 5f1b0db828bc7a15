package io.flinkcommander.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The kustomization.yaml files under {@code k8s/} and what each refers to. */
final class Kustomizations {

    /** One kustomization: its directory, kind (Kustomization or Component), and references. */
    record Kustomization(Path directory, String kind, List<Path> resources, List<Path> patches, List<Path> files,
            List<Path> components) {

        /** Every file or directory this kustomization names, resolved against its directory. */
        List<Path> referenced() {
            List<Path> all = new ArrayList<>(resources);
            all.addAll(patches);
            all.addAll(files);
            all.addAll(components);
            return all;
        }
    }

    private Kustomizations() {
    }

    static List<Kustomization> all() {
        try (Stream<Path> files = Files.walk(Manifests.K8S)) {
            return files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).sorted()
                    .map(Kustomizations::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + Manifests.K8S, e);
        }
    }

    @SuppressWarnings("unchecked")
    static Kustomization read(Path file) {
        Map<String, Object> yaml;
        try {
            yaml = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
        Path dir = file.getParent();
        List<Path> patches = new ArrayList<>();
        for (Object patch : list(yaml, "patches")) {
            patches.add(dir.resolve((String) ((Map<String, Object>) patch).get("path")).normalize());
        }
        List<Path> generated = new ArrayList<>();
        for (Object generator : list(yaml, "configMapGenerator")) {
            for (Object f : list((Map<String, Object>) generator, "files")) {
                generated.add(dir.resolve((String) f).normalize());
            }
        }
        return new Kustomization(dir, (String) yaml.get("kind"), paths(dir, list(yaml, "resources")), patches, generated,
                paths(dir, list(yaml, "components")));
    }

    private static List<Path> paths(Path dir, List<Object> names) {
        return names.stream().map(n -> dir.resolve((String) n).normalize()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> yaml, String key) {
        Object value = yaml.get(key);
        return value == null ? List.of() : (List<Object>) value;
    }
}
