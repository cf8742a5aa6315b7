package io.kinesisbridge.put;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The wire form of a record: the PutRecord request of the Kinesis JSON protocol, with Data in base64. The one
 * codec that writes and reads it; the dead-letter output holds exactly this, so a rejected record can be sent
 * again as is ({@code aws kinesis put-record --cli-input-json}).
 *
 * <p>It also holds the rules by which Kinesis reads and writes every other member of its protocol, in both
 * encodings the Kinesis-compatible endpoint serves: a value of the wrong type is a SerializationException with
 * AWS's message ({@code *Value} methods); a Blob is base64 text in JSON 1.1 and a byte string in CBOR 1.1; a
 * Timestamp is epoch seconds (with a fraction) in JSON 1.1 and tag 1 + epoch milliseconds in CBOR 1.1. Parsers
 * and generators of either Jackson format work here.
 */
public final class PutRecordJson {

    public static final String STREAM_NAME = "StreamName";
    public static final String PARTITION_KEY = "PartitionKey";
    public static final String DATA = "Data";
    public static final String EXPLICIT_HASH_KEY = "ExplicitHashKey";
    public static final String SEQUENCE_NUMBER_FOR_ORDERING = "SequenceNumberForOrdering";
    public static final String RECORDS = "Records";

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
            g.writeBinaryField(DATA, request.data()); // JSON: standard base64 with padding; CBOR: a byte string
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
                case DATA -> data = blobValue(p, value);
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

    /** A Blob: base64 text in JSON (strictly decoded), a byte string in CBOR; null stays absent. */
    public static byte[] blobValue(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> decodeBase64(p.getText());
            case VALUE_EMBEDDED_OBJECT -> p.getBinaryValue();
            case VALUE_NULL -> null;
            case VALUE_TRUE, VALUE_FALSE -> throw serialization("class java.lang.Boolean can not be converted to a Blob");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> throw serialization(
                    "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a Blob");
            case START_ARRAY -> throw serialization("Start of list found where not expected");
            default -> throw serialization("Start of structure or map found where not expected.");
        };
    }

    /**
     * An Integer: a fraction is dropped and a value above 2^31-1 becomes 2^31-1, as Kinesis reads it (the
     * range checks then report it); null stays absent.
     */
    public static Integer integerValue(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                BigDecimal v = p.getDecimalValue();
                double floor = Math.floor(v.doubleValue());
                yield (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, floor));
            }
            case VALUE_NULL -> null;
            case VALUE_TRUE, VALUE_FALSE -> throw serialization("class java.lang.Boolean can not be converted to an Integer");
            case VALUE_STRING -> throw serialization("class java.lang.String can not be converted to an Integer");
            case START_ARRAY -> throw serialization("Start of list found where not expected");
            default -> throw serialization("Start of structure or map found where not expected.");
        };
    }

    /** A Boolean: true or false, or the strings Kinesis takes for them (true, false, yes, no, 1, 0). */
    public static Boolean booleanValue(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case VALUE_STRING -> switch (p.getText().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "1" -> Boolean.TRUE;
                case "false", "no", "0" -> Boolean.FALSE;
                default -> throw serialization("'" + p.getText().toUpperCase(java.util.Locale.ROOT)
                        + "' can not be converted to an Boolean");
            };
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> throw serialization(
                    "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean");
            case START_ARRAY -> throw serialization("Start of list found where not expected");
            default -> throw serialization("Start of structure or map found where not expected.");
        };
    }

    /** A Timestamp: epoch seconds (a fraction gives milliseconds) in JSON, epoch milliseconds in CBOR. */
    public static Instant timestampValue(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p instanceof CBORParser
                    ? Instant.ofEpochMilli(p.getDecimalValue().longValue())
                    : Instant.ofEpochMilli(p.getDecimalValue().movePointRight(3).longValue());
            case VALUE_NULL -> null;
            case VALUE_TRUE, VALUE_FALSE -> throw serialization("class java.lang.Boolean can not be converted to milliseconds since epoch");
            case VALUE_STRING -> throw serialization("class java.lang.String can not be converted to milliseconds since epoch");
            case START_ARRAY -> throw serialization("Start of list found where not expected");
            default -> throw serialization("Start of structure or map found where not expected.");
        };
    }

    /** True on the start of a list, false on null; anything else is a SerializationException. */
    public static boolean listStart(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> true;
            case VALUE_NULL -> false;
            case START_OBJECT -> throw serialization("Start of structure or map found where not expected.");
            default -> throw serialization("Expected list or null");
        };
    }

    /** True on the start of a structure, false on null; anything else is a SerializationException. */
    public static boolean structureStart(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> true;
            case VALUE_NULL -> false;
            case START_ARRAY -> throw serialization("Start of list found where not expected");
            default -> throw serialization("Expected null");
        };
    }

    /** Skips a member the operation does not know, as Kinesis ignores unknown members. */
    public static void skipValue(JsonParser p) throws IOException {
        p.skipChildren();
    }

    /** Writes a Timestamp member: epoch seconds with the milliseconds as a fraction (JSON), tag 1 + millis (CBOR). */
    public static void writeTimestampField(JsonGenerator g, String field, long epochMillis) throws IOException {
        g.writeFieldName(field);
        if (g instanceof CBORGenerator cbor) {
            cbor.writeTag(1);
            cbor.writeNumber(epochMillis);
        } else {
            g.writeNumber(BigDecimal.valueOf(epochMillis, 3));
        }
    }

    /**
     * Reads a PutRecords request's members from the object whose START_OBJECT the parser is on: StreamName and
     * Records (each entry read as {@link #read(JsonParser)} reads a record).
     */
    public static PutRecordsRequest readPutRecords(JsonParser p) throws IOException {
        String stream = null;
        List<PutRequest> records = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case STREAM_NAME -> stream = stringValue(p, value);
                case RECORDS -> {
                    if (listStart(value)) {
                        records = new ArrayList<>();
                        JsonToken t;
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            records.add(structureStart(t) ? read(p) : null);
                        }
                    } else {
                        records = null;
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new PutRecordsRequest(stream, records);
    }

    /** A PutRecords request as it arrived: either member may be absent ({@code null}), entries too. */
    public record PutRecordsRequest(String streamName, List<PutRequest> records) {
    }

    /** Strict base64 as Kinesis decodes Data: length a multiple of 4, only the base64 alphabet, canonical padding. */
    public static byte[] decodeBase64(String s) {
        int n = s.length();
        if (n % 4 != 0) {
            throw serialization("'" + s + "' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: " + n);
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            boolean padding = c == '=' && (i + 1 == n || s.charAt(i + 1) == '=') && i >= n - 2;
            if (!alphabet && !padding) {
                throw serialization("'" + s + "' can not be converted to a Blob: Invalid Base64 character: '" + c + "'");
            }
        }
        // canonical: the bits the padding leaves over in the last data character must be zero ("AB==" is not)
        int pad = n == 0 ? 0 : (s.charAt(n - 1) == '=' ? (s.charAt(n - 2) == '=' ? 2 : 1) : 0);
        if (pad > 0) {
            int unusedBits = pad == 2 ? 0x0F : 0x03;
            if ((sextet(s.charAt(n - pad - 1)) & unusedBits) != 0) {
                throw serialization("'" + s + "' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
            }
        }
        return Base64.getDecoder().decode(s);
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : 63;
    }

    private static KinesisException serialization(String message) {
        return KinesisException.of(new KinesisError(KinesisError.SERIALIZATION, message), null, null);
    }
}
