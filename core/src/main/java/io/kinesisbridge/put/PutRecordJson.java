package io.kinesisbridge.put;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The wire form of a record: the PutRecord request of the Kinesis JSON protocol, with Data in base64. The one
 * codec that writes and reads it; the dead-letter output holds exactly this, so a rejected record can be sent
 * again as is ({@code aws kinesis put-record --cli-input-json}).
 *
 * <p>Its String and Blob readers are also how the Kinesis-compatible endpoint reads those member types (a value
 * of the wrong type is a SerializationException with AWS's message; a Blob is base64 text in JSON and a byte
 * string in CBOR); parsers and generators of either Jackson format work here.
 */
public final class PutRecordJson {

    public static final String STREAM_NAME = "StreamName";
    public static final String PARTITION_KEY = "PartitionKey";
    public static final String DATA = "Data";
    public static final String EXPLICIT_HASH_KEY = "ExplicitHashKey";
    public static final String SEQUENCE_NUMBER_FOR_ORDERING = "SequenceNumberForOrdering";

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private PutRecordJson() {}

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
        } catch (JsonProcessingException e) {
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
            case VALUE_TRUE, VALUE_FALSE ->
                throw serialization("class java.lang.Boolean can not be converted to an String");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                throw serialization(
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
            case VALUE_TRUE, VALUE_FALSE ->
                throw serialization("class java.lang.Boolean can not be converted to a Blob");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                throw serialization(
                        "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a Blob");
            case START_ARRAY -> throw serialization("Start of list found where not expected");
            default -> throw serialization("Start of structure or map found where not expected.");
        };
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
        Arrays.fill(SEXTETS, (byte) -1);
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
                return serialization("'" + new String(text, offset, n)
                        + "' can not be converted to a Blob: Invalid Base64 character: '" + c + "'");
            }
        }
        return serialization("'" + new String(text, offset, n)
                + "' can not be converted to a Blob: Invalid Base64 character: '" + text[offset + hint] + "'");
    }

    private static KinesisException lastCharacter(char[] text, int offset, int n) {
        return serialization("'" + new String(text, offset, n)
                + "' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
    }

    private static KinesisException serialization(String message) {
        return KinesisException.of(new KinesisError(KinesisError.SERIALIZATION, message), null, null);
    }
}
