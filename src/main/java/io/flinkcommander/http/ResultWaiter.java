package io.flinkcommander.http;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * Lets an HTTP caller wait for a command's result. Every replica reads the whole results topic
 * (its own consumer group, committed results only), because the replica that took the HTTP
 * request is rarely the one that applies the command.
 */
@ApplicationScoped
public class ResultWaiter {

    public static final String RESULT_WATCH = "result-watch";

    private final Map<String, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final ObjectMapper json;

    public ResultWaiter(ObjectMapper json) {
        this.json = json;
    }

    /** Register before publishing the command, so a fast result cannot slip past. */
    public Waiting expect(String commandId) {
        CompletableFuture<JsonNode> future = waiting.computeIfAbsent(commandId, id -> new CompletableFuture<>());
        return new Waiting(commandId, future);
    }

    @Incoming(RESULT_WATCH)
    public void onResult(ConsumerRecord<String, byte[]> record) {
        if (waiting.isEmpty()) {
            return;
        }
        Header causation = record.headers().lastHeader("ce_causationid");
        if (causation == null) {
            return;
        }
        CompletableFuture<JsonNode> future = waiting.remove(new String(causation.value(),
                java.nio.charset.StandardCharsets.UTF_8));
        if (future != null) {
            try {
                future.complete(json.readTree(record.value()));
            } catch (java.io.IOException e) {
                future.completeExceptionally(e);
            }
        }
    }

    public final class Waiting {
        private final String commandId;
        private final CompletableFuture<JsonNode> future;

        private Waiting(String commandId, CompletableFuture<JsonNode> future) {
            this.commandId = commandId;
            this.future = future;
        }

        /** The result, or empty when none came within {@code timeout}. */
        public Uni<Optional<JsonNode>> await(Duration timeout) {
            return Uni.createFrom().completionStage(future)
                    .map(Optional::of)
                    .ifNoItem().after(timeout).recoverWithItem(Optional.empty())
                    .eventually(this::cancel);
        }

        public void cancel() {
            waiting.remove(commandId, future);
        }
    }
}
