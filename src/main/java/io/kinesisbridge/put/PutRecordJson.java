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
            case VALUE_STRING -> decodeBase64(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
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
        return decodeBase64(s.toCharArray(), 0, s.length());
    }

    /**
     * {@link #decodeBase64(String)} on characters in place (the parser's buffer): a record's Data is decoded
     * without first being copied into a String.
     */
    public static byte[] decodeBase64(char[] text, int offset, int n) {
        if (n % 4 != 0) {
            throw serialization("'" + new String(text, offset, n) + "' can not be converted to a Blob: Base64 encoded "
                    + "length is expected a multiple of 4 bytes but found: " + n);
        }
        int pad = n > 0 && text[offset + n - 1] == '=' ? (text[offset + n - 2] == '=' ? 2 : 1) : 0;
        byte[] out = new byte[n / 4 * 3 - pad];
        int o = 0;
        for (int i = 0; i < n; i += 4) {
            int a = sextet(text, offset, n, i);
            int b = sextet(text, offset, n, i + 1);
            int c = i + 2 < n - pad ? sextet(text, offset, n, i + 2) : checkPadding(text, offset, n, i + 2);
            int d = i + 3 < n - pad ? sextet(text, offset, n, i + 3) : checkPadding(text, offset, n, i + 3);
            int bits = a << 18 | b << 12 | Math.max(c, 0) << 6 | Math.max(d, 0);
            out[o++] = (byte) (bits >> 16);
            if (c >= 0) {
                out[o++] = (byte) (bits >> 8);
            } else if ((b & 0x0F) != 0) {
                throw lastCharacter(text, offset, n);
            }
            if (d >= 0) {
                out[o++] = (byte) bits;
            } else if (c >= 0 && (c & 0x03) != 0) {
                throw lastCharacter(text, offset, n);
            }
        }
        return out;
    }

    private static final byte[] SEXTETS = new byte[128];

    static {
        java.util.Arrays.fill(SEXTETS, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            SEXTETS[alphabet.charAt(i)] = (byte) i;
        }
    }

    private static int sextet(char[] text, int offset, int n, int i) {
        char ch = text[offset + i];
        int v = ch < 128 ? SEXTETS[ch] : -1;
        if (v < 0) {
            throw invalidCharacter(text, offset, n, i);
        }
        return v;
    }

    /** A padding position: '=' gives -1; anything else is the error Kinesis reports for it. */
    private static int checkPadding(char[] text, int offset, int n, int i) {
        if (text[offset + i] != '=') {
            throw invalidCharacter(text, offset, n, i);
        }
        return -1;
    }

    /** The first character, from the start, that has no place in strict base64, as Kinesis names it. */
    private static KinesisException invalidCharacter(char[] text, int offset, int n, int hint) {
        for (int i = 0; i < n; i++) {
            char c = text[offset + i];
            boolean alphabet = c < 128 && SEXTETS[c] >= 0;
            boolean padding = c == '=' && (i + 1 == n || text[offset + i + 1] == '=') && i >= n - 2;
            if (!alphabet && !padding) {
                return serialization("'" + new String(text, offset, n) + "' can not be converted to a Blob: Invalid Base64 character: '" + c + "'");
            }
        }
        return serialization("'" + new String(text, offset, n) + "' can not be converted to a Blob: Invalid Base64 character: '"
                + text[offset + hint] + "'");
    }

    private static KinesisException lastCharacter(char[] text, int offset, int n) {
        return serialization("'" + new String(text, offset, n) + "' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
    }

    private static KinesisException serialization(String message) {
        return KinesisException.of(new KinesisError(KinesisError.SERIALIZATION, message), null, null);
    }
}
