package io.kinesisbridge.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

/**
 * How the endpoint reads and writes the members of the Kinesis protocol, in both encodings it serves: a value of
 * the wrong type is a SerializationException with AWS's message; a Blob is base64 text in JSON 1.1 and a byte
 * string in CBOR 1.1; a Timestamp is epoch seconds (with a fraction) in JSON 1.1 and tag 1 + epoch milliseconds in
 * CBOR 1.1. String and Blob are read as the record's wire form reads them ({@link PutRecordJson}).
 */
public final class ProtocolValues {

    private ProtocolValues() {}

    /** A String: null stays absent, other types are SerializationExceptions. */
    public static String stringValue(JsonParser p, JsonToken token) throws IOException {
        return PutRecordJson.stringValue(p, token);
    }

    /** A Blob: base64 text in JSON (strictly decoded), a byte string in CBOR; null stays absent. */
    public static byte[] blobValue(JsonParser p, JsonToken token) throws IOException {
        return PutRecordJson.blobValue(p, token);
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
            case VALUE_TRUE, VALUE_FALSE ->
                throw serialization("class java.lang.Boolean can not be converted to an Integer");
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
            case VALUE_STRING ->
                switch (p.getText().toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "1" -> Boolean.TRUE;
                    case "false", "no", "0" -> Boolean.FALSE;
                    default ->
                        throw serialization(
                                "'" + p.getText().toUpperCase(Locale.ROOT) + "' can not be converted to an Boolean");
                };
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                throw serialization(
                        "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean");
            case START_ARRAY -> throw serialization("Start of list found where not expected");
            default -> throw serialization("Start of structure or map found where not expected.");
        };
    }

    /** A Timestamp: epoch seconds (a fraction gives milliseconds) in JSON, epoch milliseconds in CBOR. */
    public static Instant timestampValue(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                p instanceof CBORParser
                        ? Instant.ofEpochMilli(p.getDecimalValue().longValue())
                        : Instant.ofEpochMilli(
                                p.getDecimalValue().movePointRight(3).longValue());
            case VALUE_NULL -> null;
            case VALUE_TRUE, VALUE_FALSE ->
                throw serialization("class java.lang.Boolean can not be converted to milliseconds since epoch");
            case VALUE_STRING ->
                throw serialization("class java.lang.String can not be converted to milliseconds since epoch");
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

    private static KinesisException serialization(String message) {
        return KinesisException.of(new KinesisError(KinesisError.SERIALIZATION, message), null, null);
    }
}
