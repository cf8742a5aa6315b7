package io.kinesisbridge.put;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads the scalar at a JSON Pointer (RFC 6901, such as {@code /user/id}) from a JSON document, streaming: only
 * the path to the value is parsed, the rest is skipped. Plain ASCII documents and paths of property names take a
 * byte scanner ({@link ObjectPathScanner}); anything it is not sure of goes to Jackson, whose answers (and error
 * messages) are the reference.
 */
public final class JsonFieldReader {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    private final JsonPointer pointer;
    private final String expression;
    /** The pointer's property names as ASCII bytes when {@link ObjectPathScanner} can follow it, else null. */
    private final byte[][] plainPath;

    public JsonFieldReader(String pointer) {
        if (pointer.isEmpty() || pointer.charAt(0) != '/') {
            throw new IllegalArgumentException(
                    "a JSON Pointer starts with '/', such as /user/id; got '" + pointer + "'");
        }
        this.pointer = JsonPointer.compile(pointer);
        this.expression = pointer;
        this.plainPath = ObjectPathScanner.plainPath(this.pointer);
    }

    public String pointer() {
        return expression;
    }

    /**
     * The value's text: a string as is, a number or boolean as written. Empty when the path does not exist or
     * holds null.
     *
     * @throws IllegalArgumentException when the document is not JSON or the value is an object or array
     */
    public Optional<String> read(byte[] json) {
        if (plainPath != null) {
            Optional<String> fast = ObjectPathScanner.find(json, plainPath);
            if (fast != null) {
                return fast;
            }
        }
        return readWithJackson(json);
    }

    /** {@link #read} without the scanner's fast path: Jackson's streaming parser only. */
    Optional<String> readWithJackson(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken token = p.nextToken();
            JsonPointer rest = pointer;
            while (!rest.matches()) {
                if (token == JsonToken.START_OBJECT) {
                    if (!advanceToField(p, rest.getMatchingProperty())) {
                        return Optional.empty();
                    }
                } else if (token == JsonToken.START_ARRAY) {
                    int index = rest.getMatchingIndex();
                    if (index < 0 || !advanceToElement(p, index)) {
                        return Optional.empty();
                    }
                } else {
                    return Optional.empty();
                }
                token = p.nextToken();
                rest = rest.tail();
            }
            return switch (token) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
                    Optional.of(p.getText());
                case VALUE_NULL, END_ARRAY -> Optional.empty(); // END_ARRAY: the index was one past the end
                default ->
                    throw new IllegalArgumentException(
                            "the value at " + expression + " is not a string, number or boolean");
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    /** Moves to the value of {@code name} in the object the parser just entered. */
    private static boolean advanceToField(JsonParser p, String name) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            if (p.currentName().equals(name)) {
                return true;
            }
            p.nextToken();
            p.skipChildren();
        }
        if (t == null) {
            throw new IOException("Unexpected end of input");
        }
        return false;
    }

    /** Positions the parser just before element {@code index} of the array it just entered. */
    private static boolean advanceToElement(JsonParser p, int index) throws IOException {
        for (int i = 0; i < index; i++) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_ARRAY || t == null) {
                return false;
            }
            p.skipChildren();
        }
        return true; // the caller's nextToken reads the element, or END_ARRAY when the array is that short
    }

    private static String firstLine(String message) {
        int nl = message == null ? -1 : message.indexOf('\n');
        return nl < 0 ? String.valueOf(message) : message.substring(0, nl);
    }
}
