package io.flinkcommander.rbac;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.flinkcommander.fixture.KubernetesTraffic;

/**
 * Writes down every distinct request the <em>service</em> makes to any Kubernetes API test server
 * in this JVM, for {@link RbacProofTest} to check against the Role in {@code k8s/}.
 *
 * <p>On only when the system property {@value #DIRECTORY_PROPERTY} names a directory (the build's
 * surefire run sets it; the sandbox and the benchmark do not). Each JVM appends to its own file
 * {@code requests-<pid>.txt}, one {@link RbacRequest#toLine()} per distinct request, as soon as it
 * is first seen, so a JVM that dies early still leaves what it recorded. A service started as a
 * child process ({@code ServiceProcess}) talks to the API server in this JVM and is recorded too.
 */
public final class RbacRecorder {

    public static final String DIRECTORY_PROPERTY = "flinkcommander.rbac.record-dir";

    private static final Set<RbacRequest> SEEN = ConcurrentHashMap.newKeySet();

    private RbacRecorder() {
    }

    /** Records the service's requests on {@code traffic}, when recording is on. */
    public static void attach(KubernetesTraffic traffic) {
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        if (directory == null || directory.isBlank()) {
            return;
        }
        Path file = Path.of(directory, "requests-" + ProcessHandle.current().pid() + ".txt");
        traffic.addListener(request -> {
            if (request.fromService()) {
                record(file, RbacRequest.of(request.method(), request.path()));
            }
        });
    }

    /** Every request recorded in {@code directory} by any JVM, each once. */
    public static Set<RbacRequest> read(Path directory) {
        Set<RbacRequest> all = new LinkedHashSet<>();
        if (!Files.isDirectory(directory)) {
            return all;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("requests-")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                lines.stream().filter(l -> !l.isBlank()).map(RbacRequest::parse).forEach(all::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the recorded requests in " + directory, e);
        }
        return all;
    }

    private static void record(Path file, RbacRequest request) {
        if (!SEEN.add(request)) {
            return;
        }
        // Synchronized: requests arrive on the API server's threads; lines must not interleave.
        synchronized (RbacRecorder.class) {
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, request.toLine() + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not record a Kubernetes API request in " + file, e);
            }
        }
    }
}
