package io.flinkcommander.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A deterministic stream of valid commands over a set of jobs (FlinkDeployments in one
 * namespace): each job is deployed first, then gets a random mix of upgrade, scale, suspend,
 * resume, restart and savepoint, a redeploy now and then; jobs are interleaved. Every command is
 * valid when applied in order, so in a scenario that loses nothing each one is APPLIED.
 *
 * <p>At most {@link #MAX_COMMANDS_PER_JOB} commands per job: the service remembers the last 20
 * command ids on each resource ({@code commander.apply.remembered-ids}), and a redelivered batch
 * holding more commands of one job than that could find an id already forgotten (see the README's
 * Reliability section).
 */
final class CommandStream {

    static final int MAX_COMMANDS_PER_JOB = 18;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String namespace;
    private final List<FaultCommand> commands;

    private CommandStream(String namespace, List<FaultCommand> commands) {
        this.namespace = namespace;
        this.commands = List.copyOf(commands);
    }

    /**
     * @param scenario names the ids ({@code <scenario>-<job>-<n>}) so that runs are told apart in logs
     */
    static CommandStream generate(String scenario, String namespace, int jobs, int commandsPerJob, long seed) {
        if (commandsPerJob > MAX_COMMANDS_PER_JOB) {
            throw new IllegalArgumentException("at most " + MAX_COMMANDS_PER_JOB + " commands per job");
        }
        Random random = new Random(seed);
        List<List<FaultCommand>> perJob = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            String job = "job-" + j;
            perJob.add(jobCommands(scenario, namespace + "/" + job, job, commandsPerJob, random));
        }
        // Interleave: take the next command of a random job that has some left.
        List<FaultCommand> stream = new ArrayList<>();
        int[] next = new int[jobs];
        List<Integer> open = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            open.add(j);
        }
        while (!open.isEmpty()) {
            int pick = random.nextInt(open.size());
            int j = open.get(pick);
            stream.add(perJob.get(j).get(next[j]++));
            if (next[j] == perJob.get(j).size()) {
                open.remove(pick);
            }
        }
        return new CommandStream(namespace, stream);
    }

    private static List<FaultCommand> jobCommands(String scenario, String subject, String job, int count,
            Random random) {
        List<FaultCommand> commands = new ArrayList<>();
        boolean suspended = false;
        for (int n = 0; n < count; n++) {
            String id = scenario + "-" + job + "-" + n;
            if (n == 0) {
                commands.add(new FaultCommand(id, "flink.job.deploy", subject, deployData(job, 2, 0)));
                continue;
            }
            int roll = random.nextInt(100);
            FaultCommand command;
            if (suspended) {
                command = roll < 70 ? new FaultCommand(id, "flink.job.resume", subject, JSON.createObjectNode())
                        : new FaultCommand(id, "flink.job.upgrade", subject, configPatch(n, random));
                suspended = !command.verb().equals("resume");
            } else if (roll < 20) {
                command = new FaultCommand(id, "flink.job.upgrade", subject, configPatch(n, random));
            } else if (roll < 35) {
                command = new FaultCommand(id, "flink.job.scale", subject,
                        JSON.createObjectNode().put("parallelism", 1 + random.nextInt(8)));
            } else if (roll < 50) {
                ObjectNode data = JSON.createObjectNode();
                if (random.nextBoolean()) {
                    data.put("upgradeMode", random.nextBoolean() ? "savepoint" : "stateless");
                }
                command = new FaultCommand(id, "flink.job.suspend", subject, data);
                suspended = true;
            } else if (roll < 70) {
                command = new FaultCommand(id, "flink.job.savepoint", subject, JSON.createObjectNode());
            } else if (roll < 80) {
                command = new FaultCommand(id, "flink.job.restart", subject, JSON.createObjectNode());
            } else if (roll < 88) {
                command = new FaultCommand(id, "flink.job.deploy", subject, deployData(job, 1 + random.nextInt(4), n));
            } else {
                ObjectNode patch = JSON.createObjectNode();
                patch.putObject("job").put("parallelism", 1 + random.nextInt(6));
                command = new FaultCommand(id, "flink.job.upgrade", subject,
                        (ObjectNode) JSON.createObjectNode().set("patch", patch));
            }
            commands.add(command);
        }
        return commands;
    }

    /** A deploy of an application cluster; {@code generation} marks which deploy wrote the spec. */
    static ObjectNode deployData(String job, int parallelism, int generation) {
        ObjectNode spec = JSON.createObjectNode().put("image", "flink:2.1").put("flinkVersion", "v2_1");
        spec.putObject("jobManager").putObject("resource").put("memory", "1024m").put("cpu", 1.0);
        spec.putObject("taskManager").putObject("resource").put("memory", "2048m").put("cpu", 1.0);
        spec.putObject("flinkConfiguration").put("fault.deployed-by", String.valueOf(generation));
        spec.putObject("job").put("jarURI", "local:///opt/flink/usrlib/" + job + ".jar")
                .put("parallelism", parallelism).put("upgradeMode", "savepoint");
        ObjectNode data = JSON.createObjectNode();
        data.set("spec", spec);
        return data;
    }

    /** Sets a key, and sometimes removes the one the deploy wrote (a merge-patch null). */
    private static ObjectNode configPatch(int n, Random random) {
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode config = patch.putObject("flinkConfiguration").put("fault.step", String.valueOf(n));
        if (random.nextInt(4) == 0) {
            config.putNull("fault.deployed-by");
        }
        return (ObjectNode) JSON.createObjectNode().set("patch", patch);
    }

    String namespace() {
        return namespace;
    }

    List<FaultCommand> commands() {
        return commands;
    }

    Set<String> ids() {
        return commands.stream().map(FaultCommand::id).collect(Collectors.toSet());
    }

    /** The commands of each job (subject), in stream order. */
    Map<String, List<FaultCommand>> byJob() {
        Map<String, List<FaultCommand>> byJob = new LinkedHashMap<>();
        commands.forEach(c -> byJob.computeIfAbsent(c.subject(), k -> new ArrayList<>()).add(c));
        return byJob;
    }

    /** How many commands of each verb, for the report. */
    Map<String, Long> verbs() {
        return commands.stream().collect(Collectors.groupingBy(FaultCommand::verb, java.util.TreeMap::new,
                Collectors.counting()));
    }
}
