package io.kinesisbridge.put;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The wire form of a record: the PutRecord request of the Kinesis JSON protocol, with Data in base64. The one
 * codec that writes and reads it; the dead-letter output holds exactly this, so a rejected record can be sent
 * again as is ({@code aws kinesis put-record --cli-input-json}).
 */
public final class PutRecordJson {

    public static final String STREAM_NAME = "StreamName";
    public static final String PARTITION_KEY = "PartitionKey";
    public static final String DATA = "Data";
    public static final String EXPLICIT_HASH_KEY = "ExplicitHashKey";
    public static final String SEQUENCE_NUMBER_FOR_ORDERING = "SequenceNumberForOrdering";

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private PutRecordJson() {
    }

    public static String write(PutRequest request) {
        StringWriter out = new StringWriter(64 + (request.data() == null ? 0 : request.data().length * 4 / 3));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the request as one JSON object; absent fields are left out. */
    public static void write(JsonGenerator g, PutRequest request) throws IOException {
        g.writeStartObject();
        if (request.streamName() != null) {
            g.writeStringField(STREAM_NAME, request.streamName());
        }
        if (request.partitionKey() != null) {
            g.writeStringField(PARTITION_KEY, request.partitionKey());
        }
        if (request.data() != null) {
            g.writeStringField(DATA, Base64.getEncoder().encodeToString(request.data()));
        }
        if (request.explicitHashKey() != null) {
            g.writeStringField(EXPLICIT_HASH_KEY, request.explicitHashKey());
        }
        if (request.sequenceNumberForOrdering() != null) {
            g.writeStringField(SEQUENCE_NUMBER_FOR_ORDERING, request.sequenceNumberForOrdering());
        }
        g.writeEndObject();
    }

    /**
     * Reads one PutRecord request. Unknown fields are ignored, as Kinesis does; a field of the wrong JSON type or
     * Data that is not base64 is a SerializationException with AWS's message.
     */
    public static PutRequest read(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw serialization("Start of structure or map expected");
            }
            return read(p);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw KinesisException.of(new KinesisError(KinesisError.SERIALIZATION, e.getOriginalMessage()), null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the fields of the object whose START_OBJECT the parser is on, up to and including its END_OBJECT. */
    public static PutRequest read(JsonParser p) throws IOException {
        String stream = null;
        String key = null;
        byte[] data = null;
        String hashKey = null;
        String sequence = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case STREAM_NAME -> stream = stringValue(p, value);
                case PARTITION_KEY -> key = stringValue(p, value);
                case EXPLICIT_HASH_KEY -> hashKey = stringValue(p, value);
                case SEQUENCE_NUMBER_FOR_ORDERING -> sequence = stringValue(p, value);
                case DATA -> {
                    String base64 = stringOrBlob(p, value);
                    data = base64 == null ? null : decodeBase64(base64);
                }
                default -> p.skipChildren();
            }
        }
        return new PutRequest(stream, key, data, hashKey, sequence);
    }

    /** A JSON string value as Kinesis reads it: null stays absent, other types are SerializationExceptions. */
    public static String stringValue(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            case VALUE_TRUE, VALUE_FALSE -> throw serialization("class java.lang.Boolean can not be converted to an String");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> throw serialization(
                    "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String");
            case START_ARRAY -> throw serialization("Start of list found where not expected");
            default -> throw serialization("Start of structure or map found where not expected.");
        };
    }

    private static String stringOrBlob(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            case VALUE_TRUE, VALUE_FALSE -> throw serialization("class java.lang.Boolean can not be converted to a Blob");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> throw serialization(
                    "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a Blob");
            case START_ARRAY -> throw serialization("Start of list found where not expected");
            default -> throw serialization("Start of structure or map found where not expected.");
        };
    }

    /** Strict base64 as Kinesis decodes Data: length a multiple of 4, only the base64 alphabet, canonical padding. */
    public static byte[] decodeBase64(String s) {
        if (s.length() % 4 != 0) {
            throw serialization("'" + s + "' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: " + s.length());
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            boolean padding = c == '=' && (i + 1 == s.length() || s.charAt(i + 1) == '=') && i >= s.length() - 2;
            if (!alphabet && !padding) {
                throw serialization("'" + s + "' can not be converted to a Blob: Invalid Base64 character: '" + c + "'");
            }
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw serialization("'" + s + "' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(s)) {
            throw serialization("'" + s + "' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
        }
        return bytes;
    }

    private static KinesisException serialization(String message) {
        return KinesisException.of(new KinesisError(KinesisError.SERIALIZATION, message), null, null);
    }
}
