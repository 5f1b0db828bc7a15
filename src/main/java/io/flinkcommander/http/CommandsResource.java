package io.flinkcommander.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.command.CloudEventReader;
import io.flinkcommander.command.CommandEnvelope;
import io.flinkcommander.command.CommandParser;
import io.flinkcommander.command.FieldError;
import io.flinkcommander.command.JobRef;
import io.flinkcommander.command.Parsed;
import io.flinkcommander.command.ReadResult;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * {@code POST /api/commands}: for people and tools without a Kafka client. The command still
 * goes through the commands topic like any other, so ordering and idempotency are the same;
 * {@code ?wait=PT5S} waits for its result.
 */
@Path("/api/commands")
public class CommandsResource {

    public static final String COMMANDS_OUT = "commands-out";
    private static final Duration MAX_WAIT = Duration.ofMinutes(1);

    private final MutinyEmitter<byte[]> commands;
    private final ResultWaiter results;
    private final CloudEventReader reader;
    private final CommandParser parser = new CommandParser();

    public CommandsResource(@Channel(COMMANDS_OUT) MutinyEmitter<byte[]> commands, ResultWaiter results,
            ObjectMapper json) {
        this.commands = commands;
        this.results = results;
        this.reader = new CloudEventReader(json);
    }

    @POST
    @Consumes({ "application/cloudevents+json", MediaType.APPLICATION_JSON })
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(byte[] body, @QueryParam("wait") String wait) {
        Duration timeout;
        try {
            timeout = wait == null ? null : Duration.parse(wait);
        } catch (DateTimeParseException e) {
            return badRequest(null, List.of(FieldError.at("wait", "must be an ISO-8601 duration such as PT5S")));
        }
        if (timeout != null && (timeout.isNegative() || timeout.compareTo(MAX_WAIT) > 0)) {
            return badRequest(null, List.of(FieldError.at("wait", "must be between PT0S and " + MAX_WAIT)));
        }
        ReadResult read = reader.read(body, name -> "content-type".equals(name) ? "application/cloudevents+json" : null);
        if (read instanceof ReadResult.Unreadable unreadable) {
            return badRequest(null, List.of(FieldError.at("", unreadable.reason())));
        }
        CommandEnvelope command = ((ReadResult.Readable) read).envelope();
        if (parser.parse(command) instanceof Parsed.Invalid invalid) {
            return badRequest(command.id(), invalid.errors());
        }
        String key = JobRef.parse(command.subject()).map(JobRef::key).orElseThrow();
        ResultWaiter.Waiting waiting = timeout == null ? null : results.expect(command.id());
        Uni<Void> published = commands.sendMessage(record(key, body))
                .onFailure().invoke(() -> {
                    if (waiting != null) {
                        waiting.cancel();
                    }
                });
        if (waiting == null) {
            return published.map(x -> Response.accepted(Map.of("commandId", command.id())).build());
        }
        return published.chain(() -> waiting.await(timeout)).map(result -> result
                .map(r -> Response.ok(r).build())
                .orElseGet(() -> Response.status(Response.Status.GATEWAY_TIMEOUT)
                        .entity(Map.of("commandId", command.id(), "message", "no result within " + timeout))
                        .build()));
    }

    private static Message<byte[]> record(String key, byte[] body) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", "application/cloudevents+json".getBytes(UTF_8));
        return Message.of(body).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key).withHeaders(headers).build());
    }

    private static Uni<Response> badRequest(String commandId, List<FieldError> errors) {
        var entity = new java.util.LinkedHashMap<String, Object>();
        if (commandId != null) {
            entity.put("commandId", commandId);
        }
        entity.put("errors", errors);
        return Uni.createFrom().item(Response.status(Response.Status.BAD_REQUEST).entity(entity).build());
    }
}
