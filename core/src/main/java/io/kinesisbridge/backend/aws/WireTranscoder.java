package io.kinesisbridge.backend.aws;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * Rewrites a Kinesis request or response body between the two wire forms of the Kinesis protocol: AWS JSON 1.1
 * (blobs as base64 strings, timestamps as epoch seconds) and CBOR 1.1 (blobs as byte strings, timestamps as epoch
 * milliseconds). Kinesis's only blob is {@code Data}; its timestamps are the fields named {@code *Timestamp}.
 */
final class WireTranscoder {

    static final String JSON_CONTENT_TYPE = "application/x-amz-json-1.1";
    static final String CBOR_CONTENT_TYPE = "application/x-amz-cbor-1.1";

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final CBORFactory CBOR = CBORFactory.builder().build();

    private WireTranscoder() {}

    static boolean isCbor(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-amz-cbor");
    }

    static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-amz-json");
    }

    static byte[] jsonToCbor(byte[] json) {
        return transcode(json, JSON, CBOR);
    }

    static byte[] cborToJson(byte[] cbor) {
        return transcode(cbor, CBOR, JSON);
    }

    private static byte[] transcode(byte[] body, JsonFactory from, JsonFactory to) {
        if (body.length == 0) {
            return body;
        }
        boolean toCbor = to == CBOR;
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        try (JsonParser in = from.createParser(body);
                JsonGenerator gen = to.createGenerator(out)) {
            JsonToken token;
            while ((token = in.nextToken()) != null) {
                String field = in.getParsingContext().inObject() ? in.currentName() : null;
                switch (token) {
                    case VALUE_STRING -> {
                        if (toCbor && "Data".equals(field)) {
                            gen.writeBinary(in.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS));
                        } else {
                            gen.writeString(in.getText());
                        }
                    }
                    case VALUE_EMBEDDED_OBJECT -> {
                        Object value = in.getEmbeddedObject();
                        if (value instanceof byte[] bytes) {
                            gen.writeBinary(bytes);
                        } else {
                            gen.writeString(String.valueOf(value));
                        }
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        if (field != null && field.endsWith("Timestamp")) {
                            writeTimestamp(in, gen, toCbor);
                        } else {
                            gen.copyCurrentEvent(in);
                        }
                    }
                    default -> gen.copyCurrentEvent(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite a Kinesis body from " + name(from) + " to " + name(to), e);
        }
        return out.toByteArray();
    }

    private static void writeTimestamp(JsonParser in, JsonGenerator gen, boolean toCbor) throws IOException {
        BigDecimal value = in.getDecimalValue();
        if (toCbor) {
            gen.writeNumber(value.movePointRight(3).longValue());
        } else {
            gen.writeNumber(value.movePointLeft(3));
        }
    }

    private static String name(JsonFactory f) {
        return f == CBOR ? "CBOR" : "JSON";
    }
}
