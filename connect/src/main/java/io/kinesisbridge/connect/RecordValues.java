package io.kinesisbridge.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns what the ByteArray, String and (schemaless) JSON converters produce into a record's data and into key text:
 * {@code byte[]} and {@link ByteBuffer} as they are, strings as UTF-8, maps, lists, numbers and booleans as JSON.
 * A {@link Struct} has no one byte form: it is refused, with the converter settings that avoid it.
 */
final class RecordValues {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String STRUCT_REFUSED = "a Struct value (a converter with schemas) has no byte form here: use the "
            + "ByteArrayConverter, the StringConverter, or the JsonConverter with schemas.enable=false";

    private RecordValues() {}

    /**
     * The bytes to put for a record value.
     *
     * @throws IllegalArgumentException for a Struct or a type no converter of those three produces
     */
    static byte[] data(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return bytes;
        }
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof Map<?, ?>
                || value instanceof Collection<?>
                || value instanceof Number
                || value instanceof Boolean) {
            try {
                return JSON.writeValueAsBytes(value);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        "the value could not be written as JSON (" + e.getOriginalMessage() + ")", e);
            }
        }
        if (value instanceof Struct) {
            throw new IllegalArgumentException(STRUCT_REFUSED);
        }
        throw new IllegalArgumentException(
                "a value of type " + (value == null ? "null" : value.getClass().getName()) + " has no byte form here");
    }

    /**
     * A key, header or field value as text: strings as they are, bytes read as UTF-8, numbers and booleans as
     * written, maps and lists as JSON; empty for null and for the empty string.
     *
     * @throws IllegalArgumentException for a Struct or another type
     */
    static Optional<String> text(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        String text;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof byte[] || value instanceof ByteBuffer) {
            text = new String(data(value), StandardCharsets.UTF_8);
        } else if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
            text = value.toString();
        } else {
            text = new String(data(value), StandardCharsets.UTF_8);
        }
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
}
