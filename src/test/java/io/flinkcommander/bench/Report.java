package io.flinkcommander.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The table printed at the end and the charts, from the report written to results.json. */
final class Report {

    private static final int POINTS = 120;

    private Report() {
    }

    /** Rows of (workload, figure, value). */
    @SuppressWarnings("unchecked")
    static List<String[]> table(Map<String, Object> report) {
        List<String[]> rows = new ArrayList<>();
        Map<String, Object> machine = (Map<String, Object>) report.get("machine");
        rows.add(row("machine", "cores, memory, Java, load average at start", machine.get("cores") + ", "
                + machine.get("memoryGiB") + " GiB, " + machine.get("java") + ", " + machine.get("loadAverageAtStart")));
        Map<String, Object> w1 = (Map<String, Object>) report.get("w1");
        if (w1 != null) {
            Map<String, Object> base = (Map<String, Object>) report.get("baseline");
            rows.add(row("W1", "commands / jobs", w1.get("commands") + " / " + w1.get("jobs")));
            rows.add(row("W1", "results, outcomes", w1.get("results") + ", " + w1.get("outcomes")));
            rows.add(row("W1", "commands per second", w1.get("commandsPerSecond")));
            rows.add(row("W1", "latency p50 / p95 / p99 / max", latency(w1)));
            rows.add(row("W1", "CPU seconds: service / platform (broker, API server, operator)",
                    w1.get("serviceCpuSeconds") + " / " + w1.get("platformCpuSeconds") + " in " + w1.get("seconds") + " s"));
            rows.add(row("W1", "CPU ms per command: service / platform", w1.get("serviceCpuMsPerCommand") + " / "
                    + w1.get("platformCpuMsPerCommand")));
            rows.add(row("W1", "service start to ready", report.get("serviceStartToReadySeconds") + " s"));
            rows.add(row("W1", "mean apply time per type (ms)", report.get("w1ServiceApplyMeanMs")));
            rows.add(row("baseline", "writes per second (" + base.get("concurrency") + " threads)",
                    base.get("writesPerSecond")));
            rows.add(row("baseline", "write p50 / p95 / p99 / max", latency(base)));
            rows.add(row("baseline", "service / baseline", report.get("serviceToBaselineRatio")));
        }
        Map<String, Object> w2 = (Map<String, Object>) report.get("w2");
        if (w2 != null) {
            w2.forEach((rate, value) -> {
                Map<String, Object> r = (Map<String, Object>) value;
                String name = "W2 " + rate + "/s";
                rows.add(row(name, "sent, achieved send rate", r.get("commands") + " in " + r.get("sendSeconds") + " s, "
                        + r.get("achievedSendRatePerSecond") + "/s"));
                rows.add(row(name, "results, without result at deadline", r.get("results") + ", "
                        + r.get("withoutResultAtDeadline")));
                rows.add(row(name, "results per second, kept up", r.get("commandsPerSecond") + ", " + r.get("keptUp")));
                rows.add(row(name, "backlog when the last command was sent", r.get("backlogAtEndOfSend")));
                rows.add(row(name, "latency p50 / p95 / p99 / max", latency(r)));
            });
        }
        Map<String, Object> w3 = (Map<String, Object>) report.get("w3");
        if (w3 != null) {
            rows.add(row("W3", "status writes (deployments), achieved rate", w3.get("statusWrites") + " ("
                    + w3.get("deployments") + "), " + w3.get("achievedWriteRatePerSecond") + "/s"));
            rows.add(row("W3", "events matched, missing", w3.get("eventsMatched") + ", " + w3.get("eventsMissing")));
            rows.add(row("W3", "write to event p50 / p95 / p99 / max", latency(w3)));
        }
        Map<String, Object> w4 = (Map<String, Object>) report.get("w4");
        if (w4 != null) {
            rows.add(row("W4", "existing deployments", w4.get("deployments")));
            rows.add(row("W4", "process start to ready / caught up / marks written", w4.get("startToReadySeconds")
                    + " / " + w4.get("startToCaughtUpSeconds") + " / " + w4.get("startToMarksWrittenSeconds") + " s"));
            rows.add(row("W4", "heap after GC, metaspace, RSS", w4.get("heapAfterGcMiB") + " MiB, "
                    + w4.get("metaspaceMiB") + " MiB, " + w4.get("rssMiB") + " MiB"));
        }
        return rows;
    }

    static String markdown(List<String[]> rows) {
        StringBuilder out = new StringBuilder("| workload | figure | value |\n|---|---|---|\n");
        rows.forEach(r -> out.append("| ").append(String.join(" | ", r)).append(" |\n"));
        return out.toString();
    }

    /** latency.html (both charts and the table, nothing external), latency.png and, with W2, w2-backlog.png. */
    static void charts(Path out, Map<String, Latencies> distributions, Map<String, List<Map<String, Object>>> timelines,
            List<String[]> rows) throws Exception {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                + "<title>Flink Commander benchmark</title></head>\n<body style=\"font-family:sans-serif\">\n"
                + "<h1>Flink Commander benchmark</h1>\n");
        if (!distributions.isEmpty()) {
            Chart latency = latencyChart(distributions);
            html.append(latency.svg());
            latency.png(out.resolve("latency.png"));
        }
        if (!timelines.isEmpty()) {
            Chart backlog = backlogChart(timelines);
            html.append(backlog.svg());
            backlog.png(out.resolve("w2-backlog.png"));
        }
        html.append("<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n<tr><th>workload</th><th>figure</th>"
                + "<th>value</th></tr>\n");
        for (String[] r : rows) {
            html.append("<tr><td>").append(Chart.escape(r[0])).append("</td><td>").append(Chart.escape(r[1])).append("</td><td>")
                    .append(Chart.escape(r[2])).append("</td></tr>\n");
        }
        html.append("</table>\n</body></html>\n");
        Files.writeString(out.resolve("latency.html"), html.toString());
    }

    private static Chart latencyChart(Map<String, Latencies> distributions) {
        List<Chart.Series> series = new ArrayList<>();
        double smallest = Double.MAX_VALUE;
        double largest = 0;
        for (Map.Entry<String, Latencies> e : distributions.entrySet()) {
            double[][] points = e.getValue().distribution(POINTS);
            if (points[0].length == 0) {
                continue;
            }
            series.add(new Chart.Series(e.getKey() + " (n=" + e.getValue().count() + ")", points[0], points[1]));
            smallest = Math.min(smallest, points[1][0]);
            largest = Math.max(largest, points[1][points[1].length - 1]);
        }
        Chart.Axis percentiles = new Chart.Axis("percentile", false, 0, Latencies.TAIL_NINES, List.of(
                new Chart.Tick(0, "p0"), new Chart.Tick(Math.log10(2), "p50"), new Chart.Tick(1, "p90"),
                new Chart.Tick(2, "p99"), new Chart.Tick(3, "p99.9")));
        return new Chart("Latency distribution", percentiles,
                Chart.Axis.logarithmic("latency (ms, log scale)", smallest, largest), series);
    }

    private static Chart backlogChart(Map<String, List<Map<String, Object>>> timelines) {
        List<Chart.Series> series = new ArrayList<>();
        double seconds = 1;
        double backlog = 1;
        for (Map.Entry<String, List<Map<String, Object>>> e : timelines.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(r -> ((Number) r.get("second")).doubleValue()).toArray();
            double[] y = e.getValue().stream().mapToDouble(r -> ((Number) r.get("backlog")).doubleValue()).toArray();
            series.add(new Chart.Series("W2 " + e.getKey(), x, y));
            for (int i = 0; i < x.length; i++) {
                seconds = Math.max(seconds, x[i]);
                backlog = Math.max(backlog, y[i]);
            }
        }
        return new Chart("W2: commands sent but not yet answered", Chart.Axis.linear("seconds since the first send", seconds),
                Chart.Axis.linear("backlog (commands)", backlog), series);
    }

    private static String[] row(String workload, String figure, Object value) {
        return new String[] {workload, figure, String.valueOf(value)};
    }

    private static String latency(Map<String, Object> figures) {
        return figures.get("p50Ms") + " / " + figures.get("p95Ms") + " / " + figures.get("p99Ms") + " / "
                + figures.get("maxMs") + " ms";
    }
}
