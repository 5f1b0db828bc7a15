package io.flinkcommander.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code Dockerfile.jvm} copies exactly what {@code ./mvnw package} produced: every COPY source
 * exists, and everything the service needs at run time in {@code target/quarkus-app} is copied.
 * There is no Docker here to build the image; the build runs this after package (profile
 * after-package-checks in pom.xml).
 */
class JvmImageInputsTest {

    static final Path APP = Path.of("target", "quarkus-app");

    /** What the fast-jar holds that the image does not need: a list of the dependencies, for humans. */
    static final List<String> NOT_NEEDED = List.of("quarkus-app-dependencies.txt");

    static List<String> copySources() throws IOException {
        List<String> sources = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("Dockerfile.jvm"))) {
            if (line.startsWith("COPY ")) {
                String[] words = line.trim().split("\\s+");
                // COPY [--flags] <source>... <destination>
                for (int i = 1; i < words.length - 1; i++) {
                    if (!words[i].startsWith("--")) {
                        sources.add(words[i].replaceAll("/$", ""));
                    }
                }
            }
        }
        return sources;
    }

    @Test
    void everyCopySourceIsSomethingTheBuildProduced() throws IOException {
        List<String> sources = copySources();

        assertThat(sources).isNotEmpty().allSatisfy(source -> {
            assertThat(source).startsWith("target/quarkus-app/");
            assertThat(matches(source)).as("build output matching " + source).isNotEmpty();
        });
    }

    @Test
    void everythingTheFastJarNeedsIsCopied() throws IOException {
        List<PathMatcher> copied = copySources().stream()
                .map(s -> FileSystems.getDefault().getPathMatcher("glob:" + s)).toList();
        List<String> left = new ArrayList<>();
        try (Stream<Path> entries = Files.list(APP)) {
            entries.filter(e -> !NOT_NEEDED.contains(e.getFileName().toString()))
                    .filter(e -> copied.stream().noneMatch(m -> m.matches(e)))
                    .forEach(e -> left.add(e.toString()));
        }

        assertThat(left).as("entries of " + APP + " the image leaves out").isEmpty();
        assertThat(APP.resolve("quarkus-run.jar")).isRegularFile();
        assertThat(APP.resolve("lib").resolve("main")).isDirectory();
        assertThat(APP.resolve("app")).isDirectory();
        assertThat(APP.resolve("quarkus")).isDirectory();
    }

    @Test
    void theImageRunsTheFastJarAsNonRootUser185() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile.jvm"));

        assertThat(lines).contains("USER 185", "EXPOSE 8080");
        assertThat(lines).anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains("$JAVA_OPTS")
                && l.contains("-jar /deployments/quarkus-run.jar"));
    }

    private static List<Path> matches(String glob) throws IOException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> files = Files.walk(APP, 1)) {
            return files.filter(matcher::matches).toList();
        }
    }
}
