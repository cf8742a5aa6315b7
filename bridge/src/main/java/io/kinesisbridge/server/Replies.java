package io.kinesisbridge.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.ShardRange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** How the endpoint writes its answers: error bodies as Kinesis writes them, and the shapes several operations share. */
public final class Replies {

    private static final String ACCESS_DENIED =
            "<AccessDeniedException>\n  <Message>Unable to determine service/operation "
                    + "name to be authorized</Message>\n</AccessDeniedException>\n";
    private static final String MISSING_TOKEN =
            "<MissingAuthenticationTokenException>\n  <Message>Missing Authentication "
                    + "Token</Message>\n</MissingAuthenticationTokenException>\n";

    private Replies() {}

    /** Writes a response body with a generator of the request's encoding. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    public static KinesisError invalidArgument(String message) {
        return new KinesisError(KinesisError.INVALID_ARGUMENT, message);
    }

    /**
     * An error body as Kinesis writes it: {@code __type} and the message; SerializationException carries its text
     * in {@code Message} (as the AWS service framework writes it), every other error in {@code message}.
     */
    public static Reply error(WireFormat f, KinesisError error) {
        byte[] body = bytes(f, g -> {
            g.writeStartObject();
            g.writeStringField("__type", error.code());
            if (!error.message().isEmpty()) {
                g.writeStringField(
                        error.code().equals(KinesisError.SERIALIZATION) ? "Message" : "message",
                        wellFormed(error.message()));
            }
            g.writeEndObject();
        });
        return new Reply(error.httpStatus(), Optional.of(f.contentType()), body, Optional.of(error.code()));
    }

    /**
     * The text with each unpaired surrogate replaced by U+FFFD: a message may quote a damaged request's value, and
     * neither JSON nor CBOR can carry half a character.
     */
    static String wellFormed(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c)
                    ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                    : !Character.isLowSurrogate(c);
            if (Character.isHighSurrogate(c) && paired) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (!paired && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(paired ? c : '\uFFFD');
            }
        }
        return out == null ? text : out.toString();
    }

    /** What Kinesis answers a request that is not a POST. */
    static Reply notPost() {
        return bare(403, "AccessDeniedException", ACCESS_DENIED);
    }

    /** What Kinesis answers an unsigned request that is not of its protocol (a GET, a POST without its headers). */
    static Reply missingToken() {
        return bare(403, RequestSignature.MISSING_TOKEN, MISSING_TOKEN);
    }

    static Reply bare(int status, String type, String body) {
        return new Reply(status, Optional.empty(), body.getBytes(StandardCharsets.UTF_8), Optional.of(type));
    }

    public static Reply reply(WireFormat f, Body body) {
        return Reply.ok(f, bytes(f, body));
    }

    static byte[] bytes(WireFormat f, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = f.factory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    public static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    // ---- shapes shared by several operations ----

    public static void writeShard(JsonGenerator g, StreamSnapshot.Shard shard) throws IOException {
        g.writeStartObject();
        g.writeStringField("ShardId", shard.shardId());
        if (shard.parentShardId().isPresent()) {
            g.writeStringField("ParentShardId", shard.parentShardId().get());
        }
        writeHashKeyRange(g, shard.range());
        g.writeObjectFieldStart("SequenceNumberRange");
        g.writeStringField("StartingSequenceNumber", shard.startingSequenceNumber());
        if (shard.endingSequenceNumber().isPresent()) {
            g.writeStringField(
                    "EndingSequenceNumber", shard.endingSequenceNumber().get());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    public static void writeHashKeyRange(JsonGenerator g, ShardRange range) throws IOException {
        g.writeObjectFieldStart("HashKeyRange");
        g.writeStringField("StartingHashKey", range.startingHashKey().toString());
        g.writeStringField("EndingHashKey", range.endingHashKey().toString());
        g.writeEndObject();
    }

    public static void writeStreamMode(JsonGenerator g, String mode) throws IOException {
        g.writeObjectFieldStart("StreamModeDetails");
        g.writeStringField("StreamMode", mode);
        g.writeEndObject();
    }

    public static void writeEnhancedMonitoring(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("EnhancedMonitoring");
        g.writeStartObject();
        g.writeArrayFieldStart("ShardLevelMetrics");
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
    }
}
