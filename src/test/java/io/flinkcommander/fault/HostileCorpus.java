package io.flinkcommander.fault;

import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Hostile records for the commands topic, each with a name and what the service must do with it:
 * answer REJECTED (naming the field path where there is one) or dead-letter it with a reason.
 * Every record carries a {@code fault-case} header (dead letters keep the original headers), and
 * every readable one the id {@code hostile-<name>}.
 *
 * <p>Secrets planted in the records start with {@link #SECRET}: none may appear in any output.
 * They are only planted in records that parse as CloudEvents: a dead letter keeps the original
 * record's bytes by design (it is for re-processing, and needs the same access control as the
 * commands topic), so a secret inside an unreadable record would be in the DLQ as it was sent.
 *
 * <p>Sizes: the broker's {@code message.max.bytes} and the producers' {@code max.request.size} are
 * both about 1 MiB by default (the test broker keeps the default). A record over it is refused by
 * the producer before it reaches the topic ({@link #oversized}); the corpus holds records just
 * under it.
 */
final class HostileCorpus {

    static final String SECRET = "HOSTILE-SECRET-";
    static final String CASE_HEADER = "fault-case";
    /** Just under the producer's default max.request.size (1,048,576) once headers and framing are added. */
    static final int NEAR_LIMIT = 1_040_000;
    /** As close to max.request.size as the test's producer takes: a dead-letter copy with ~250 bytes of headers would not fit. */
    static final int AT_LIMIT = 1_048_576 - 300;

    enum Expect {
        REJECTED, DEAD_LETTER
    }

    /** @param path the field path one of the errors must name (a prefix), or null */
    record Case(String name, ProducerRecord<String, byte[]> record, Expect expect, String path, String secret) {
        String id() {
            return "hostile-" + name;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String namespace;
    private final List<Case> cases = new ArrayList<>();
    private int secrets;

    private HostileCorpus(String namespace) {
        this.namespace = namespace;
    }

    /** The corpus, for jobs in {@code namespace} (the only one the guardrails allow). */
    static List<Case> build(String namespace) {
        HostileCorpus corpus = new HostileCorpus(namespace);
        corpus.notCloudEvents();
        corpus.truncated();
        corpus.envelopes();
        corpus.binaryModeHeaders();
        corpus.unknownTypes();
        corpus.badNames();
        corpus.jarUris();
        corpus.imagesAndNamespaces();
        corpus.credentials();
        corpus.missingFields();
        corpus.wrongTypes();
        corpus.parallelism();
        corpus.memory();
        corpus.upgradeModesAndDurations();
        corpus.megabytes();
        return List.copyOf(corpus.cases);
    }

    /** A structured record over the size limit: the producer must refuse it. */
    static ProducerRecord<String, byte[]> oversized(String namespace) {
        ObjectNode event = new HostileCorpus(namespace).event("oversized", "flink.job.deploy", namespace + "/big",
                deployData(spec -> spec.with("flinkConfiguration").put("fault.padding", "x".repeat(1_100_000))));
        return structured("oversized", event.toString().getBytes(UTF_8));
    }

    // --- families ------------------------------------------------------------------------------

    private void notCloudEvents() {
        String[] garbage = {"hello", "{", "}", "{{}}", "<event/>", "[1, 2", "{\"specversion\": }", "NaN",
            "{'single': 'quotes'}", "{\"a\":1,}", "\u0000\u0000", "{\"specversion\":\"1.0\" \"id\":\"x\"}",
            "--- yaml: true", "id=1&type=deploy", "\\x7b", "{\"unterminated\": \"string}", "/* comment */ {}",
            "{\"a\":1}{\"b\":2}x", " ", "\ufeff{]"};
        for (int i = 0; i < garbage.length; i++) {
            dead("not-json-" + i, structured("not-json-" + i, garbage[i].getBytes(UTF_8)));
        }
        Random random = new Random(6);
        for (int i = 0; i < 12; i++) {
            byte[] bytes = new byte[1 + random.nextInt(2048)];
            random.nextBytes(bytes);
            dead("random-bytes-" + i, raw("random-bytes-" + i, "key-" + i, bytes));
        }
        // JSON may be UTF-16 (RFC 8259 readers detect it): read, then rejected for its missing job.
        byte[] utf16 = event("utf16-encoded", "flink.job.resume", namespace + "/x", JSON.createObjectNode())
                .toString().getBytes(UTF_16);
        rejected("utf16-encoded", structured("utf16-encoded", utf16), "subject");
        dead("invalid-utf8", structured("invalid-utf8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));
        dead("lone-surrogate-bytes", structured("lone-surrogate-bytes",
                new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'}));
        dead("empty-structured", structured("empty-structured", new byte[0]));
        dead("tombstone", raw("tombstone", namespace + "/x", null));
        dead("no-headers-no-json", raw("no-headers-no-json", null, "deploy orders please".getBytes(UTF_8)));
        String[] notObjects = {"[]", "[{\"specversion\":\"1.0\"}]", "42", "\"a string\"", "true", "null", "[[[[]]]]",
            "-0.0e9"};
        for (int i = 0; i < notObjects.length; i++) {
            dead("not-an-object-" + i, structured("not-an-object-" + i, notObjects[i].getBytes(UTF_8)));
        }
        // Deeply nested: a parser without a depth limit would overflow its stack.
        dead("nested-100000", structured("nested-100000", ("[".repeat(100_000)).getBytes(UTF_8)));
    }

    private void truncated() {
        byte[] whole = event("truncated", "flink.job.deploy", namespace + "/truncated", deployData(spec -> {
        })).toString().getBytes(UTF_8);
        for (int i = 1; i <= 20; i++) {
            int cut = whole.length * i / 21;
            byte[] part = new byte[cut];
            System.arraycopy(whole, 0, part, 0, cut);
            dead("truncated-at-" + cut, structured("truncated-at-" + cut, part));
        }
    }

    private void envelopes() {
        ObjectNode noId = event("no-id", "flink.job.resume", namespace + "/x", JSON.createObjectNode());
        noId.remove("id");
        dead("no-id", structured("no-id", noId));
        dead("blank-id", structured("blank-id", event("blank-id", "flink.job.resume", namespace + "/x",
                JSON.createObjectNode()).put("id", "  ")));
        dead("null-id", structured("null-id", event("null-id", "flink.job.resume", namespace + "/x",
                JSON.createObjectNode()).putNull("id")));
        for (String version : new String[] {"0.3", "2.0", "", "1"}) {
            dead("specversion-" + version, structured("specversion-" + version, event("sv", "flink.job.resume",
                    namespace + "/x", JSON.createObjectNode()).put("specversion", version)));
        }
        ObjectNode noVersion = event("no-specversion", "flink.job.resume", namespace + "/x", JSON.createObjectNode());
        noVersion.remove("specversion");
        dead("no-specversion", structured("no-specversion", noVersion));
        ObjectNode noSource = event("no-source", "flink.job.resume", namespace + "/x", JSON.createObjectNode());
        noSource.remove("source");
        rejected("no-source", structured("no-source", noSource), "source");
        ObjectNode noType = event("no-type", "flink.job.resume", namespace + "/x", JSON.createObjectNode());
        noType.remove("type");
        rejected("no-type", structured("no-type", noType), "type");
        ObjectNode dataString = event("data-is-a-string", "flink.job.deploy", namespace + "/x", null);
        dataString.put("data", "{\"spec\": {}}");
        rejected("data-is-a-string", structured("data-is-a-string", dataString), "data");
        ObjectNode badBase64 = event("bad-base64", "flink.job.deploy", namespace + "/x", null);
        badBase64.put("data_base64", "%%% not base64 %%%");
        rejected("bad-base64", structured("bad-base64", badBase64), "data");
        ObjectNode base64Garbage = event("base64-not-json", "flink.job.deploy", namespace + "/x", null);
        base64Garbage.put("data_base64", java.util.Base64.getEncoder().encodeToString("{oops".getBytes(UTF_8)));
        rejected("base64-not-json", structured("base64-not-json", base64Garbage), "data");
    }

    private void binaryModeHeaders() {
        String data = "{\"spec\": {\"image\": \"flink:2.1\"}}";
        Map<String, String> full = new LinkedHashMap<>();
        full.put("ce_specversion", "1.0");
        full.put("ce_source", "//hostile");
        full.put("ce_type", "flink.job.resume");
        full.put("ce_subject", namespace + "/binary");
        for (String missing : new String[] {"ce_specversion", "ce_id"}) {
            Map<String, String> headers = new LinkedHashMap<>(full);
            headers.remove(missing);
            String name = "binary-without-" + missing;
            if (!missing.equals("ce_id")) {
                headers.put("ce_id", "hostile-" + name);
            }
            dead(name, binary(name, headers, data));
        }
        for (String missing : new String[] {"ce_type", "ce_source", "ce_subject"}) {
            Map<String, String> headers = new LinkedHashMap<>(full);
            headers.remove(missing);
            String name = "binary-without-" + missing;
            headers.put("ce_id", "hostile-" + name);
            rejected(name, binary(name, headers, "{}"), missing.substring(3));
        }
        Map<String, String> oldVersion = new LinkedHashMap<>(full);
        oldVersion.put("ce_specversion", "0.3");
        oldVersion.put("ce_id", "hostile-binary-specversion-0.3");
        dead("binary-specversion-0.3", binary("binary-specversion-0.3", oldVersion, "{}"));
        Map<String, String> emptyId = new LinkedHashMap<>(full);
        emptyId.put("ce_id", "");
        dead("binary-empty-id", binary("binary-empty-id", emptyId, "{}"));
        Map<String, String> garbageData = new LinkedHashMap<>(full);
        garbageData.put("ce_id", "hostile-binary-data-not-json");
        garbageData.put("ce_type", "flink.job.deploy");
        rejected("binary-data-not-json", binary("binary-data-not-json", garbageData, "{spec: oops"), "data");
        Map<String, String> unknownType = new LinkedHashMap<>(full);
        unknownType.put("ce_id", "hostile-binary-unknown-type");
        unknownType.put("ce_type", "flink.job.self-destruct");
        rejected("binary-unknown-type", binary("binary-unknown-type", unknownType, "{}"), "type");
        Map<String, String> badSubject = new LinkedHashMap<>(full);
        badSubject.put("ce_id", "hostile-binary-bad-subject");
        badSubject.put("ce_subject", "not a subject");
        rejected("binary-bad-subject", binary("binary-bad-subject", badSubject, "{}"), "subject");
        Map<String, String> array = new LinkedHashMap<>(full);
        array.put("ce_id", "hostile-binary-data-array");
        array.put("ce_type", "flink.job.scale");
        rejected("binary-data-array", binary("binary-data-array", array, "[8]"), "data");
        // Only the specversion: no id to answer to.
        dead("binary-only-specversion", binary("binary-only-specversion", Map.of("ce_specversion", "1.0"), data));
    }

    private void unknownTypes() {
        String[] types = {"flink.job.explode", "", "FLINK.JOB.DEPLOY", "flink.job.deploy ", " flink.job.deploy",
            "flink.job.deploy\u0000", "flink.job", "flink.job.", "flink.jobs.deploy", "flink.job.déploy",
            "com.example.other", "flink.job.deploy;drop table", "x".repeat(10_000), "flink.job.suspend.now",
            "../flink.job.deploy"};
        for (int i = 0; i < types.length; i++) {
            String name = "unknown-type-" + i;
            rejected(name, structured(name, event(name, types[i], namespace + "/x", JSON.createObjectNode())), "type");
        }
    }

    private void badNames() {
        String[] names = {"Orders", "orders_1", "-orders", "orders-", "or..ders", "a".repeat(254), "orders.",
            "ördérs", "orders job", "../etc/passwd", "orders/x", "x".repeat(64), "1orders", "orders\njob", "*",
            ".", "..", "orders%2F..%2Fetc"};
        for (int i = 0; i < names.length; i++) {
            String deploy = "bad-name-deploy-" + i;
            rejected(deploy, structured(deploy, event(deploy, "flink.job.deploy", namespace + "/" + names[i],
                    deployData(spec -> {
                    }))), "subject");
            String suspend = "bad-name-suspend-" + i;
            rejected(suspend, structured(suspend, event(suspend, "flink.job.suspend", namespace + "/" + names[i],
                    JSON.createObjectNode())), "subject");
        }
        String[] subjects = {"orders", "/orders", namespace + "/", "Fault-Hostile/orders", "fault_hostile/orders",
            namespace + "//orders", "", "a/b/c/d"};
        for (int i = 0; i < subjects.length; i++) {
            String name = "bad-subject-" + i;
            rejected(name, structured(name, event(name, "flink.job.deploy", subjects[i], deployData(spec -> {
            }))), "subject");
        }
        String name = "no-subject";
        ObjectNode event = event(name, "flink.job.deploy", namespace + "/x", deployData(spec -> {
        }));
        event.remove("subject");
        rejected(name, structured(name, event), "subject");
    }

    private void jarUris() {
        String[] uris = {"local:///opt/flink/../../etc/passwd", "local:///opt/flink/usrlib/../../../etc/shadow",
            "s3://bucket/../other-bucket/job.jar", "local:///..", "local:///opt/flink/usrlib/%2e%2e/%2e%2e/etc",
            "file:///etc/passwd", "http://evil.example/job.jar", "https://evil.example/job.jar",
            "jar:file:/opt/flink/x.jar!/", "not a uri with spaces", "", "/opt/flink/usrlib/job.jar",
            "C:\\flink\\job.jar", "local:///opt/flink/usrlib/job.jar\u0000.txt", "ftp://x/job.jar",
            "local:///opt/flink/usrlib/" + "a".repeat(5000) + "/../job.jar"};
        for (int i = 0; i < uris.length; i++) {
            String uri = uris[i];
            String name = "jar-uri-" + i;
            rejected(name, structured(name, event(name, "flink.job.deploy", namespace + "/jar-" + i,
                    deployData(spec -> spec.with("job").put("jarURI", uri)))), "data.spec.job.jarURI");
        }
    }

    private void imagesAndNamespaces() {
        String[] images = {"evil/flink:1", "docker.io/library/flink:2.1", "flink", "registry.example/flinkx/evil:1",
            "", "FLINK:2.1", "registry.example.attacker.io/flink:2.1", "ghcr.io/attacker/flink:2.1", "localhost:5000/flink:2",
            " flink:2.1"};
        for (int i = 0; i < images.length; i++) {
            String image = images[i];
            String name = "image-" + i;
            rejected(name, structured(name, event(name, "flink.job.deploy", namespace + "/image-" + i,
                    deployData(spec -> spec.put("image", image)))), "data.spec.image");
        }
        String[] namespaces = {"kube-system", "default", "other-team", namespace + "-2", "flink", "kube-public",
            "a", "prod"};
        for (int i = 0; i < namespaces.length; i++) {
            String name = "namespace-" + i;
            rejected(name, structured(name, event(name, "flink.job.deploy", namespaces[i] + "/orders",
                    deployData(spec -> {
                    }))), "subject");
        }
    }

    private void credentials() {
        // Forbidden by the guardrails (security.*, s3.*, fs.*, metrics.reporter.*): named by key, value never shown.
        String[] forbidden = {"s3.secret-key", "s3.access-key", "fs.azure.account.key.acct.blob.core.windows.net",
            "security.ssl.keystore-password", "security.ssl.truststore-password", "metrics.reporter.dd.apikey",
            "fs.s3a.secret.key", "security.kerberos.login.keytab", "s3.session-token", "fs.gs.auth.client.secret"};
        for (int i = 0; i < forbidden.length; i++) {
            String key = forbidden[i];
            String secret = secret();
            String name = "forbidden-credential-" + i;
            add(new Case(name, structured(name, event(name, "flink.job.deploy", namespace + "/cred-" + i,
                    deployData(spec -> spec.with("flinkConfiguration").put(key, secret)))), Expect.REJECTED,
                    "data.spec.flinkConfiguration." + key, secret));
        }
        // Allowed keys that look like credentials, in commands rejected for another reason: not echoed.
        String[] lookalike = {"my.password", "api.token", "x.secret", "ssl.key", "aws.access_key",
            "private_key", "db.credentials"};
        for (int i = 0; i < lookalike.length; i++) {
            String key = lookalike[i];
            String secret = secret();
            String name = "credential-with-bad-image-" + i;
            add(new Case(name, structured(name, event(name, "flink.job.deploy", namespace + "/lookalike-" + i,
                    deployData(spec -> {
                        spec.put("image", "evil/flink:1");
                        spec.with("flinkConfiguration").put(key, secret);
                    }))), Expect.REJECTED, "data.spec.image", secret));
        }
        // A secret key whose value is also invalid for its type: the error names the key only.
        String secret = secret();
        add(new Case("credential-invalid-value", structured("credential-invalid-value",
                event("credential-invalid-value", "flink.job.deploy", namespace + "/cred-invalid",
                        deployData(spec -> spec.with("flinkConfiguration").put("s3.secret-key", JSON.createObjectNode()
                                .put("nested", secret))))), Expect.REJECTED, "data.spec.flinkConfiguration", secret));
        // In a pod template's environment, with an unknown field next to it.
        String envSecret = secret();
        add(new Case("credential-in-env", structured("credential-in-env", event("credential-in-env",
                "flink.job.deploy", namespace + "/cred-env", deployData(spec -> {
                    ObjectNode container = spec.with("podTemplate").with("spec").withArray("containers").addObject()
                            .put("name", "flink-main-container");
                    container.withArray("env").addObject().put("name", "DB_PASSWORD").put("value", envSecret);
                    spec.put("notAField", true);
                }))), Expect.REJECTED, "data.spec.notAField", envSecret));
        // In an upgrade patch of a job that does not exist; and in a label value on a bad name.
        String patchSecret = secret();
        ObjectNode patch = JSON.createObjectNode();
        patch.with("patch").with("flinkConfiguration").put("s3.secret-key", patchSecret);
        add(new Case("credential-in-patch", structured("credential-in-patch", event("credential-in-patch",
                "flink.job.upgrade", namespace + "/no-such-job", patch)), Expect.REJECTED, null, patchSecret));
        String labelSecret = secret();
        ObjectNode labelled = deployData(spec -> {
        });
        labelled.with("annotations").put("vault.token", labelSecret);
        add(new Case("credential-in-annotation", structured("credential-in-annotation",
                event("credential-in-annotation", "flink.job.deploy", namespace + "/Bad_Name", labelled)),
                Expect.REJECTED, "subject", labelSecret));
        // Secrets in the envelope's unknown attributes of a command rejected for its type.
        String extensionSecret = secret();
        add(new Case("credential-in-extension", structured("credential-in-extension",
                event("credential-in-extension", "flink.job.nope", namespace + "/x", JSON.createObjectNode())
                        .put("password", extensionSecret)), Expect.REJECTED, "type", extensionSecret));
    }

    private void missingFields() {
        rejectedDeploy("deploy-without-spec", null, "data.spec");
        rejectedDeploy("deploy-without-flink-version", spec -> spec.remove("flinkVersion"), "data.spec.flinkVersion");
        String sessionJob = "session-job-without-jar-uri";
        rejected(sessionJob, structured(sessionJob, event(sessionJob, "flink.sessionjob.deploy",
                namespace + "/" + sessionJob,
                parse("{\"spec\": {\"deploymentName\": \"session\", \"job\": {\"parallelism\": 1}}}"))),
                "data.spec.job.jarURI");
        String[][] commands = {
            {"flink.job.upgrade", "{}", "data.patch"},
            {"flink.job.scale", "{}", "data"},
            {"flink.job.savepoint-policy", "{}", "data"},
            {"flink.job.configure-autoscaler", "{}", "data.enabled"},
            {"flink.job.redeploy-from-savepoint", "{}", "data.savepointPath"},
            {"flink.sessionjob.deploy", "{\"spec\": {\"job\": {\"jarURI\": \"local:///x.jar\"}}}",
                "data.spec.deploymentName"},
            {"flink.sessionjob.deploy", "{\"spec\": {\"deploymentName\": \"session\"}}", "data.spec.job"},
            {"flink.job.deploy", "{}", "data.spec"},
            {"flink.job.deploy", "{\"labels\": {}}", "data.spec"},
        };
        for (int i = 0; i < commands.length; i++) {
            String name = "missing-" + i;
            rejected(name, structured(name, event(name, commands[i][0], namespace + "/missing-" + i,
                    parse(commands[i][1]))), commands[i][2]);
        }
    }

    private void wrongTypes() {
        rejectedDeploy("parallelism-string", spec -> spec.with("job").put("parallelism", "two"), "data.spec.job.parallelism");
        rejectedDeploy("parallelism-fraction", spec -> spec.with("job").put("parallelism", 2.5), "data.spec.job.parallelism");
        rejectedDeploy("parallelism-boolean", spec -> spec.with("job").put("parallelism", true), "data.spec.job.parallelism");
        rejectedDeploy("job-is-a-string", spec -> spec.put("job", "run it"), "data.spec.job");
        rejectedDeploy("flink-configuration-array", spec -> spec.putArray("flinkConfiguration").add("a=b"),
                "data.spec.flinkConfiguration");
        rejectedDeploy("memory-number", spec -> spec.with("taskManager").with("resource").put("memory", 2048),
                "data.spec.taskManager.resource.memory");
        rejectedDeploy("cpu-string", spec -> spec.with("taskManager").with("resource").put("cpu", "lots"),
                "data.spec.taskManager.resource.cpu");
        rejectedDeploy("replicas-string", spec -> spec.with("taskManager").put("replicas", "many"),
                "data.spec.taskManager.replicas");
        rejectedDeploy("image-number", spec -> spec.put("image", 42), "data.spec.image");
        rejectedDeploy("flink-version-unknown", spec -> spec.put("flinkVersion", "v9_9"), "data.spec.flinkVersion");
        rejectedDeploy("spec-array", null, "data.spec");
        rejectedDeploy("unknown-spec-field", spec -> spec.put("replicasPlease", 3), "data.spec.replicasPlease");
        rejectedDeploy("unknown-job-field", spec -> spec.with("job").put("entryClas", "x.Main"),
                "data.spec.job.entryClas");
        rejectedDeploy("config-value-object", spec -> spec.with("flinkConfiguration").set("fault.obj",
                JSON.createObjectNode().put("a", 1)), "data.spec.flinkConfiguration");
        String[][] commands = {
            {"flink.job.deploy", "{\"spec\": {}, \"labels\": {\"a\": 1}}", "data.labels"},
            {"flink.job.deploy", "{\"spec\": {}, \"annotations\": [\"x\"]}", "data.annotations"},
            {"flink.job.suspend", "{\"upgradeMode\": {\"mode\": \"savepoint\"}}", "data.upgradeMode"},
            {"flink.job.resume", "{\"force\": true}", "data.force"},
            {"flink.job.scale", "{\"parallelism\": \"8\"}", "data.parallelism"},
            {"flink.job.scale", "{\"vertexParallelism\": [1, 2]}", "data.vertexParallelism"},
            {"flink.job.scale", "{\"vertexParallelism\": {\"not-a-vertex\": 2}}", "data.vertexParallelism"},
            {"flink.job.scale", "{\"parallelism\": 2, \"vertexParallelism\": {}}", "data.parallelism"},
            {"flink.job.savepoint", "{\"formatType\": \"ZIP\"}", "data.formatType"},
            {"flink.job.savepoint", "{\"disposeOnDelete\": \"yes\"}", "data.disposeOnDelete"},
            {"flink.job.redeploy-from-savepoint", "{\"latest\": \"yes\"}", "data.latest"},
            {"flink.job.configure-autoscaler", "{\"enabled\": \"sure\"}", "data.enabled"},
            {"flink.job.savepoint-policy", "{\"maxCount\": -3}", "data.maxCount"},
            {"flink.job.upgrade", "{\"patch\": [1]}", "data.patch"},
            {"flink.job.restart", "{\"now\": true}", "data.now"},
        };
        for (int i = 0; i < commands.length; i++) {
            String name = "wrong-type-" + i;
            rejected(name, structured(name, event(name, commands[i][0], namespace + "/typed-" + i,
                    parse(commands[i][1]))), commands[i][2]);
        }
    }

    private void parallelism() {
        Object[] values = {9, 100, 1_000_000, 2_147_483_648L, Long.MAX_VALUE, 0, -1, Integer.MIN_VALUE};
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            rejectedDeploy("deploy-parallelism-" + i, spec -> spec.with("job").put("parallelism",
                    ((Number) value).longValue()), "data.spec.job.parallelism");
            String name = "scale-parallelism-" + i;
            rejected(name, structured(name, event(name, "flink.job.scale", namespace + "/scale-" + i,
                    JSON.createObjectNode().put("parallelism", ((Number) value).longValue()))), null);
        }
        rejectedDeploy("deploy-parallelism-1e30", spec -> spec.with("job").put("parallelism", 1e30),
                "data.spec.job.parallelism");
        rejectedDeploy("vertex-override-huge", spec -> spec.with("flinkConfiguration").put(
                "pipeline.jobvertex-parallelism-overrides", "0a448493b4782967b150582570326227:100000"),
                "data.spec.flinkConfiguration");
    }

    private void memory() {
        String[] values = {"lots", "-1g", "1.5.3g", "99999999999999999999999999g", "", "12 parsecs", "1e400",
            "0x400", "g", "1024 mb mb"};
        for (int i = 0; i < values.length; i++) {
            String value = values[i];
            rejectedDeploy("tm-memory-" + i, spec -> spec.with("taskManager").with("resource").put("memory", value),
                    "data.spec.taskManager.resource.memory");
        }
        rejectedDeploy("tm-memory-over-policy", spec -> spec.with("taskManager").with("resource").put("memory", "8g"),
                "data.spec.taskManager.resource.memory");
        rejectedDeploy("jm-memory-over-policy", spec -> spec.with("jobManager").with("resource").put("memory", "3g"),
                "data.spec.jobManager.resource.memory");
        rejectedDeploy("config-memory-invalid", spec -> spec.with("flinkConfiguration")
                .put("taskmanager.memory.process.size", "lots"),
                "data.spec.flinkConfiguration.taskmanager.memory.process.size");
    }

    private void upgradeModesAndDurations() {
        String[] modes = {"yolo", "LAST_STATE", "last_state", "", "Savepoint"};
        for (int i = 0; i < modes.length; i++) {
            String mode = modes[i];
            rejectedDeploy("deploy-upgrade-mode-" + i, spec -> spec.with("job").put("upgradeMode", mode),
                    "data.spec.job.upgradeMode");
            String name = "suspend-upgrade-mode-" + i;
            rejected(name, structured(name, event(name, "flink.job.suspend", namespace + "/suspend-" + i,
                    JSON.createObjectNode().put("upgradeMode", mode))), "data.upgradeMode");
        }
        String[][] durations = {
            {"flink.job.savepoint-policy", "{\"periodicInterval\": \"forever\"}", "data.periodicInterval"},
            {"flink.job.savepoint-policy", "{\"maxAge\": \"-1h\"}", "data.maxAge"},
            {"flink.job.savepoint-policy", "{\"periodicInterval\": 5}", "data.periodicInterval"},
            {"flink.job.configure-autoscaler", "{\"enabled\": true, \"stabilizationInterval\": \"soon\"}",
                "data.stabilizationInterval"},
            {"flink.job.configure-autoscaler", "{\"enabled\": true, \"targetUtilization\": 7}", "data.targetUtilization"},
        };
        for (int i = 0; i < durations.length; i++) {
            String name = "duration-" + i;
            rejected(name, structured(name, event(name, durations[i][0], namespace + "/duration-" + i,
                    parse(durations[i][1]))), durations[i][2]);
        }
    }

    private void megabytes() {
        int padding = NEAR_LIMIT - 1_000;
        dead("megabyte-not-json", structured("megabyte-not-json", ("{" + "x".repeat(NEAR_LIMIT)).getBytes(UTF_8)));
        // So close to the limit that the original plus the dead-letter headers would not fit.
        dead("megabyte-not-json-at-limit", structured("megabyte-not-json-at-limit",
                ("{" + "x".repeat(AT_LIMIT)).getBytes(UTF_8)));
        dead("megabyte-truncated", structured("megabyte-truncated",
                ("{\"specversion\": \"1.0\", \"id\": \"" + "y".repeat(NEAR_LIMIT)).getBytes(UTF_8)));
        rejectedDeploy("megabyte-config-bad-name", spec -> spec.with("flinkConfiguration")
                .put("fault.padding", "z".repeat(padding)).put("fault.x", "1"), "subject", "Bad_Name");
        rejectedDeploy("megabyte-invalid-memory", spec -> spec.with("taskManager").with("resource")
                .put("memory", "9".repeat(padding) + "zb"), "data.spec.taskManager.resource.memory");
        rejectedDeploy("megabyte-jar-uri", spec -> spec.with("job").put("jarURI",
                "local:///" + "../".repeat(padding / 3)), "data.spec.job.jarURI");
        String name = "megabyte-type";
        rejected(name, structured(name, event(name, "t".repeat(padding), namespace + "/x", JSON.createObjectNode())),
                "type");
        name = "megabyte-subject";
        rejected(name, structured(name, event(name, "flink.job.resume", namespace + "/" + "s".repeat(padding),
                JSON.createObjectNode())), "subject");
    }

    // --- builders ------------------------------------------------------------------------------

    private void rejectedDeploy(String name, Consumer<ObjectNode> mutateSpec, String path) {
        rejectedDeploy(name, mutateSpec, path, null);
    }

    /** A deploy of a valid application cluster, changed by {@code mutateSpec} (null: no spec at all). */
    private void rejectedDeploy(String name, Consumer<ObjectNode> mutateSpec, String path, String jobName) {
        ObjectNode data = mutateSpec == null ? JSON.createObjectNode() : deployData(mutateSpec);
        if (name.equals("spec-array")) {
            data.putArray("spec").add(1);
        }
        String subject = namespace + "/" + (jobName != null ? jobName : name.length() > 40 ? name.substring(0, 40) : name);
        rejected(name, structured(name, event(name, "flink.job.deploy", subject, data)), path);
    }

    private static ObjectNode deployData(Consumer<ObjectNode> mutateSpec) {
        ObjectNode data = CommandStream.deployData("hostile", 2, 0);
        mutateSpec.accept((ObjectNode) data.get("spec"));
        return data;
    }

    private ObjectNode event(String name, String type, String subject, JsonNode data) {
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", "hostile-" + name)
                .put("source", "//hostile").put("type", type).put("subject", subject)
                .put("datacontenttype", "application/json");
        if (data != null) {
            event.set("data", data);
        }
        return event;
    }

    private String secret() {
        return SECRET + (++secrets) + "-" + Long.toHexString(new Random(secrets).nextLong());
    }

    private static ProducerRecord<String, byte[]> structured(String name, ObjectNode event) {
        return structured(name, event.toString().getBytes(UTF_8));
    }

    private static ProducerRecord<String, byte[]> structured(String name, byte[] value) {
        ProducerRecord<String, byte[]> record = raw(name, "hostile/" + name, value);
        record.headers().add("content-type", "application/cloudevents+json".getBytes(UTF_8));
        return record;
    }

    private static ProducerRecord<String, byte[]> binary(String name, Map<String, String> ceHeaders, String data) {
        ProducerRecord<String, byte[]> record = raw(name, "hostile/" + name, data.getBytes(UTF_8));
        ceHeaders.forEach((key, value) -> record.headers().add(key, value.getBytes(UTF_8)));
        record.headers().add("content-type", "application/json".getBytes(UTF_8));
        return record;
    }

    private static ProducerRecord<String, byte[]> raw(String name, String key, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(FaultBus.COMMANDS, key, value);
        record.headers().add(CASE_HEADER, name.getBytes(UTF_8));
        return record;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private void rejected(String name, ProducerRecord<String, byte[]> record, String path) {
        add(new Case(name, record, Expect.REJECTED, path, null));
    }

    private void dead(String name, ProducerRecord<String, byte[]> record) {
        add(new Case(name, record, Expect.DEAD_LETTER, null, null));
    }

    private void add(Case hostile) {
        if (cases.stream().anyMatch(c -> c.name().equals(hostile.name()))) {
            throw new IllegalStateException("two cases named " + hostile.name());
        }
        cases.add(hostile);
    }
}
