package io.kinesisbridge.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A record's data as the console shows it: JSON pretty-printed, other valid UTF-8 as text, anything else as a hex
 * dump. Only the first {@link #SHOWN_BYTES} bytes are decoded, so that one large record cannot swell an answer.
 *
 * @param kind      {@code json}, {@code text} or {@code binary}
 * @param shown     the decoded text or the hex dump
 * @param size      the data's length in bytes
 * @param truncated whether only the first bytes are shown
 */
record RecordDecoding(String kind, String shown, int size, boolean truncated) {

    static final int SHOWN_BYTES = 64 * 1024;
    /** Numbers are shown as written: 1.10 stays 1.10. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    static RecordDecoding of(byte[] data) {
        boolean truncated = data.length > SHOWN_BYTES;
        byte[] head = truncated ? Arrays.copyOf(data, SHOWN_BYTES) : data;
        String text = utf8(head, truncated);
        if (text == null) {
            return new RecordDecoding("binary", hexDump(head), data.length, truncated);
        }
        if (!truncated) {
            String pretty = prettyJson(text);
            if (pretty != null) {
                return new RecordDecoding("json", pretty, data.length, false);
            }
        }
        return new RecordDecoding("text", text, data.length, truncated);
    }

    /** The bytes as UTF-8, or null when they are not; a cut at the end of a truncated head is forgiven. */
    private static String utf8(byte[] bytes, boolean truncated) {
        int length = bytes.length;
        if (truncated) {
            // drop a multi-byte character cut by the truncation: up to 3 continuation bytes and their lead byte
            int back = 0;
            while (back < 3 && length - back - 1 >= 0 && (bytes[length - back - 1] & 0xC0) == 0x80) {
                back++;
            }
            if (length - back - 1 >= 0 && (bytes[length - back - 1] & 0xC0) == 0xC0) {
                length = length - back - 1;
            }
        }
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
            return text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t') ? null : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The text pretty-printed when it is one JSON object or array, else null. */
    private static String prettyJson(String text) {
        String trimmed = text.trim();
        if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(trimmed);
            return node == null ? null : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Sixteen bytes a line: offset, hex, and the printable ASCII characters. */
    static String hexDump(byte[] bytes) {
        HexFormat hex = HexFormat.of();
        StringBuilder out = new StringBuilder(bytes.length * 4 + 16);
        for (int line = 0; line < bytes.length; line += 16) {
            out.append(String.format(Locale.ROOT, "%08x  ", line));
            StringBuilder ascii = new StringBuilder(16);
            for (int i = line; i < line + 16; i++) {
                if (i < bytes.length) {
                    out.append(hex.toHexDigits(bytes[i])).append(' ');
                    int b = bytes[i] & 0xFF;
                    ascii.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
                } else {
                    out.append("   ");
                }
            }
            out.append(' ').append(ascii).append('\n');
        }
        return out.toString();
    }
}
