package io.flinkcommander.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where CPU time went, from the execution samples of a JFR recording: the share of samples by
 * thread (numbers folded, so a pool counts as one), by the package of the running method, by the
 * running method, and by the innermost {@code io.flinkcommander} method on the stack (which of
 * the service's own steps the time was spent under, library code included).
 */
final class JfrSummary {

    private static final String OWN_CODE = "io.flinkcommander.";

    private JfrSummary() {
    }

    static Map<String, Object> of(Path recording, int top) throws IOException {
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        Map<String, Integer> methods = new HashMap<>();
        Map<String, Integer> ownCode = new HashMap<>();
        int samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                String thread = event.getThread("sampledThread") == null ? "?"
                        : String.valueOf(event.getThread("sampledThread").getJavaName());
                threads.merge(thread.replaceAll("\\d+", "#"), 1, Integer::sum);
                RecordedFrame running = stack.getFrames().get(0);
                String type = running.getMethod().getType().getName();
                packages.merge(packageOf(type), 1, Integer::sum);
                methods.merge(simpleName(type) + "." + running.getMethod().getName(), 1, Integer::sum);
                String own = "(none)";
                for (RecordedFrame frame : stack.getFrames()) {
                    String frameType = frame.getMethod().getType().getName();
                    if (frameType.startsWith(OWN_CODE)) {
                        own = simpleName(frameType) + "." + frame.getMethod().getName();
                        break;
                    }
                }
                ownCode.merge(own, 1, Integer::sum);
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("samples", samples);
        summary.put("byThreadPercent", topShares(threads, samples, top));
        summary.put("byPackagePercent", topShares(packages, samples, top));
        summary.put("byMethodPercent", topShares(methods, samples, top));
        summary.put("underOwnMethodPercent", topShares(ownCode, samples, top));
        return summary;
    }

    /** The first three segments: {@code io.fabric8.kubernetes}, {@code org.apache.kafka}, ... */
    private static String packageOf(String type) {
        String[] parts = type.split("\\.");
        int segments = Math.min(3, parts.length - 1);
        return segments <= 0 ? "(default)" : String.join(".", List.of(parts).subList(0, segments));
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    private static Map<String, Object> topShares(Map<String, Integer> counts, int total, int top) {
        Map<String, Object> shares = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(top).forEach(e -> shares.put(e.getKey(), Latencies.round(100.0 * e.getValue() / total)));
        return shares;
    }
}
