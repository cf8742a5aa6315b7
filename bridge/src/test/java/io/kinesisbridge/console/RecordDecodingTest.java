package io.kinesisbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecordDecodingTest {

    private static RecordDecoding decode(String text) {
        return RecordDecoding.of(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jsonObjectsAndArrays_arePrettyPrinted_keepingTheirNumbersAsWritten() {
        RecordDecoding d = decode("{\"price\":1.10,\"tags\":[\"a\"]}");
        assertThat(d.kind()).isEqualTo("json");
        assertThat(d.shown()).isEqualTo("{\n  \"price\" : 1.10,\n  \"tags\" : [ \"a\" ]\n}");
    }

    @Test
    void textThatIsNotAJsonDocument_isShownAsItIs() {
        assertThat(decode("42")).isEqualTo(new RecordDecoding("text", "42", 2, false));
        assertThat(decode("{not json")).extracting(RecordDecoding::kind).isEqualTo("text");
        assertThat(decode("line one\nline two\ttabbed"))
                .extracting(RecordDecoding::kind)
                .isEqualTo("text");
    }

    @Test
    void invalidUtf8_orControlCharacters_areShownAsHex() {
        assertThat(RecordDecoding.of(new byte[] {'a', (byte) 0xC3}))
                .extracting(RecordDecoding::kind)
                .isEqualTo("binary");
        RecordDecoding d = RecordDecoding.of(new byte[] {'a', 0x07, 'b'});
        assertThat(d.kind()).isEqualTo("binary");
        assertThat(d.shown()).isEqualTo("00000000  61 07 62" + " ".repeat(3 * 13) + "  a.b\n");
    }

    @Test
    void largeData_isShownInPart_withAMultiByteCharacterCutAtTheEndDropped() {
        byte[] data = new byte[RecordDecoding.SHOWN_BYTES + 10];
        Arrays.fill(data, (byte) 'x');
        // "é" (C3 A9) straddles the cut: its first byte is the last one shown
        data[RecordDecoding.SHOWN_BYTES - 1] = (byte) 0xC3;
        data[RecordDecoding.SHOWN_BYTES] = (byte) 0xA9;
        RecordDecoding d = RecordDecoding.of(data);
        assertThat(d.kind()).isEqualTo("text");
        assertThat(d.truncated()).isTrue();
        assertThat(d.size()).isEqualTo(data.length);
        assertThat(d.shown()).hasSize(RecordDecoding.SHOWN_BYTES - 1).matches("x+");
    }
}
