package io.kinesisbridge.put;

import com.fasterxml.jackson.core.JsonPointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fast path of {@link JsonFieldReader}: follows a path of property names through the objects of a JSON document
 * byte by byte, skipping every other value, without building a parser. Building a Jackson parser per record was
 * the larger part of a JSON-pointer key's cost when ingesting NDJSON. It answers only what it is sure of: ASCII
 * strings without control characters, well-formed numbers and literals, nesting well within Jackson's limit;
 * anything else (non-ASCII bytes, escapes in a name or in the value, arrays on the path, malformed input) gives
 * {@code null}, and Jackson reads the document.
 */
final class ObjectPathScanner {

    /** Below Jackson's nesting limit (200) with room for the path itself. */
    private static final int MAX_SKIP_DEPTH = 150;
    /** Jackson's default maximum number length. */
    private static final int MAX_NUMBER_LENGTH = 1000;
    /**
     * Jackson's default maximum name length (50,000); it checks names even in skipped values, and longer string
     * values hit its string limit sooner or later: any longer string is left to Jackson.
     */
    private static final int MAX_STRING_LENGTH = 50_000;

    private ObjectPathScanner() {}

    /**
     * The pointer's segments as bytes when each is a property name the scanner can compare byte for byte (printable
     * ASCII without quote or backslash, and not a number, which could also be an array index); null otherwise.
     */
    static byte[][] plainPath(JsonPointer pointer) {
        List<byte[]> names = new ArrayList<>();
        for (JsonPointer p = pointer; !p.matches(); p = p.tail()) {
            String name = p.getMatchingProperty();
            if (p.getMatchingIndex() >= 0 || !isPlainName(name)) {
                return null;
            }
            names.add(name.getBytes(StandardCharsets.US_ASCII));
        }
        // a long path plus skipped nesting could pass Jackson's depth limit, which only Jackson should report
        return names.isEmpty() || names.size() > 40 ? null : names.toArray(new byte[0][]);
    }

    private static boolean isPlainName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * The text of the scalar at {@code path}, empty when the path does not exist or holds null, or null when the
     * scanner is not sure (then Jackson must read the document).
     */
    static Optional<String> find(byte[] json, byte[][] path) {
        int at = skipWhitespace(json, 0);
        if (at >= json.length || json[at] != '{') {
            return null;
        }
        at++;
        for (int segment = 0; segment < path.length; segment++) {
            boolean last = segment == path.length - 1;
            while (true) {
                at = skipWhitespace(json, at);
                if (at >= json.length) {
                    return null;
                }
                if (json[at] == '}') {
                    return Optional.empty(); // no such property in this object
                }
                if (json[at] != '"') {
                    return null;
                }
                int nameEnd = plainStringEnd(json, at + 1);
                if (nameEnd < 0) {
                    return null;
                }
                boolean match = regionEquals(json, at + 1, nameEnd, path[segment]);
                at = skipWhitespace(json, nameEnd + 1);
                if (at >= json.length || json[at] != ':') {
                    return null;
                }
                at = skipWhitespace(json, at + 1);
                if (at >= json.length) {
                    return null;
                }
                if (match) {
                    if (last) {
                        return scalar(json, at);
                    }
                    if (json[at] != '{') {
                        return null; // an array, a scalar or null on the path: Jackson's rules decide
                    }
                    at++;
                    break;
                }
                at = skipValue(json, at, 0);
                if (at < 0) {
                    return null;
                }
                at = skipWhitespace(json, at);
                if (at >= json.length) {
                    return null;
                }
                if (json[at] == ',') {
                    at = skipWhitespace(json, at + 1);
                    if (at >= json.length || json[at] != '"') {
                        return null; // a trailing comma, which Jackson refuses
                    }
                } else if (json[at] == '}') {
                    return Optional.empty();
                } else {
                    return null;
                }
            }
        }
        return null; // not reached: the last segment returns
    }

    /** The value at {@code at} as the reader's answer, or null when it is not a plain scalar. */
    private static Optional<String> scalar(byte[] json, int at) {
        byte b = json[at];
        if (b == '"') {
            int end = plainStringEnd(json, at + 1);
            return end < 0 ? null : Optional.of(new String(json, at + 1, end - at - 1, StandardCharsets.ISO_8859_1));
        }
        int end = literalOrNumberEnd(json, at);
        if (end < 0 || end >= json.length || !isDelimiter(json[end])) {
            return null;
        }
        if (b == 'n') {
            return Optional.empty();
        }
        return Optional.of(new String(json, at, end - at, StandardCharsets.ISO_8859_1));
    }

    /** Where the value at {@code at} ends (one past it), or -1 when it is not sure. */
    private static int skipValue(byte[] json, int at, int depth) {
        byte b = json[at];
        if (b == '"') {
            int end = stringEnd(json, at + 1);
            return end < 0 ? -1 : end + 1;
        }
        if (b == '{' || b == '[') {
            if (depth >= MAX_SKIP_DEPTH) {
                return -1;
            }
            byte close = b == '{' ? (byte) '}' : (byte) ']';
            int i = skipWhitespace(json, at + 1);
            if (i < json.length && json[i] == close) {
                return i + 1;
            }
            while (true) {
                if (i >= json.length) {
                    return -1;
                }
                if (b == '{') {
                    if (json[i] != '"') {
                        return -1;
                    }
                    int nameEnd = stringEnd(json, i + 1);
                    if (nameEnd < 0) {
                        return -1;
                    }
                    i = skipWhitespace(json, nameEnd + 1);
                    if (i >= json.length || json[i] != ':') {
                        return -1;
                    }
                    i = skipWhitespace(json, i + 1);
                    if (i >= json.length) {
                        return -1;
                    }
                }
                i = skipValue(json, i, depth + 1);
                if (i < 0) {
                    return -1;
                }
                i = skipWhitespace(json, i);
                if (i >= json.length) {
                    return -1;
                }
                if (json[i] == close) {
                    return i + 1;
                }
                if (json[i] != ',') {
                    return -1;
                }
                i = skipWhitespace(json, i + 1);
            }
        }
        int end = literalOrNumberEnd(json, at);
        return end < 0 || end >= json.length || !isDelimiter(json[end]) ? -1 : end;
    }

    /** The index of the closing quote of a string without escapes, control characters or non-ASCII bytes; or -1. */
    private static int plainStringEnd(byte[] json, int from) {
        int limit = (int) Math.min(json.length, (long) from + MAX_STRING_LENGTH + 1);
        for (int i = from; i < limit; i++) {
            byte b = json[i];
            if (b == '"') {
                return i;
            }
            if (b == '\\' || b < 0x20) { // negative: a byte of a multi-byte UTF-8 sequence
                return -1;
            }
        }
        return -1;
    }

    /**
     * As {@link #plainStringEnd}, but with JSON's escapes allowed (the string is only skipped); control characters
     * and non-ASCII bytes (negative as Java bytes) still give -1: Jackson checks their UTF-8.
     */
    private static int stringEnd(byte[] json, int from) {
        int limit = (int) Math.min(json.length, (long) from + MAX_STRING_LENGTH + 1);
        for (int i = from; i < limit; i++) {
            byte b = json[i];
            if (b == '"') {
                return i;
            }
            if (b < 0x20) {
                return -1;
            }
            if (b == '\\') {
                if (i + 1 >= json.length) {
                    return -1;
                }
                byte e = json[++i];
                if (e == 'u') {
                    if (i + 4 >= json.length) {
                        return -1;
                    }
                    for (int h = 1; h <= 4; h++) {
                        if (Character.digit(json[i + h], 16) < 0) {
                            return -1;
                        }
                    }
                    i += 4;
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** One past a {@code true}, {@code false}, {@code null} or a JSON number starting at {@code at}; or -1. */
    private static int literalOrNumberEnd(byte[] json, int at) {
        byte b = json[at];
        if (b == 't') {
            return literalEnd(json, at, "true");
        }
        if (b == 'f') {
            return literalEnd(json, at, "false");
        }
        if (b == 'n') {
            return literalEnd(json, at, "null");
        }
        int i = at;
        if (i < json.length && json[i] == '-') {
            i++;
        }
        if (i >= json.length) {
            return -1;
        }
        if (json[i] == '0') {
            i++;
        } else if (json[i] >= '1' && json[i] <= '9') {
            while (i < json.length && isDigit(json[i])) {
                i++;
            }
        } else {
            return -1;
        }
        if (i < json.length && json[i] == '.') {
            int digits = ++i;
            while (i < json.length && isDigit(json[i])) {
                i++;
            }
            if (i == digits) {
                return -1;
            }
        }
        if (i < json.length && (json[i] == 'e' || json[i] == 'E')) {
            i++;
            if (i < json.length && (json[i] == '+' || json[i] == '-')) {
                i++;
            }
            int digits = i;
            while (i < json.length && isDigit(json[i])) {
                i++;
            }
            if (i == digits) {
                return -1;
            }
        }
        return i - at > MAX_NUMBER_LENGTH ? -1 : i;
    }

    private static int literalEnd(byte[] json, int at, String literal) {
        if (at + literal.length() > json.length) {
            return -1;
        }
        for (int i = 0; i < literal.length(); i++) {
            if (json[at + i] != literal.charAt(i)) {
                return -1;
            }
        }
        return at + literal.length();
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** What may follow a scalar inside an object or array. */
    private static boolean isDelimiter(byte b) {
        return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static int skipWhitespace(byte[] json, int from) {
        int i = from;
        while (i < json.length && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) {
            i++;
        }
        return i;
    }

    private static boolean regionEquals(byte[] json, int from, int to, byte[] name) {
        if (to - from != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (json[from + i] != name[i]) {
                return false;
            }
        }
        return true;
    }
}
