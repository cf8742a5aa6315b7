package io.kinesisbridge.put;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PutRecordJsonProperties {

    @Property
    void writeThenRead_givesTheSameRequest(@ForAll("requests") PutRequest request) {
        assertThat(PutRecordJson.read(PutRecordJson.write(request))).isEqualTo(request);
    }

    @Property
    void data_isWrittenAsStandardBase64(@ForAll byte[] data) {
        String json = PutRecordJson.write(PutRequest.of("s", "k", data));
        assertThat(json)
                .isEqualTo("{\"StreamName\":\"s\",\"PartitionKey\":\"k\",\"Data\":\""
                        + Base64.getEncoder().encodeToString(data) + "\"}");
    }

    @Property
    void anyText_asData_isDecodedCanonicallyOrRefusedWithASerializationException(@ForAll String text) {
        try {
            byte[] decoded = PutRecordJson.decodeBase64(text);
            assertThat(Base64.getEncoder().encodeToString(decoded)).isEqualTo(text);
        } catch (KinesisException e) {
            assertThat(e.errorCode()).isEqualTo("SerializationException");
            assertThat(e.getMessage()).startsWith("'" + text + "' can not be converted to a Blob: ");
        }
    }

    @Property(tries = 3000)
    void theDecoder_answersExactlyAsTheStraightforwardReading(@ForAll("base64ish") String text) {
        String expected;
        try {
            expected = Arrays.toString(reference(text));
        } catch (KinesisException e) {
            expected = e.getMessage();
        }
        String actual;
        try {
            actual = Arrays.toString(PutRecordJson.decodeBase64(text));
        } catch (KinesisException e) {
            actual = e.getMessage();
        }
        assertThat(actual).isEqualTo(expected);
    }

    /** Check every character, then decode, then insist on the canonical form: the rules read one by one. */
    private static byte[] reference(String s) {
        String prefix = "'" + s + "' can not be converted to a Blob: ";
        if (s.length() % 4 != 0) {
            throw KinesisException.of(
                    new KinesisError(
                            "SerializationException",
                            prefix + "Base64 encoded length is expected a multiple of 4 bytes but found: "
                                    + s.length()),
                    null,
                    null);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alphabet =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            boolean padding = c == '=' && (i + 1 == s.length() || s.charAt(i + 1) == '=') && i >= s.length() - 2;
            if (!alphabet && !padding) {
                throw KinesisException.of(
                        new KinesisError("SerializationException", prefix + "Invalid Base64 character: '" + c + "'"),
                        null,
                        null);
            }
        }
        byte[] bytes = Base64.getDecoder().decode(s);
        if (!Base64.getEncoder().encodeToString(bytes).equals(s)) {
            throw KinesisException.of(
                    new KinesisError(
                            "SerializationException", prefix + "Invalid last non-pad Base64 character dectected"),
                    null,
                    null);
        }
        return bytes;
    }

    @Provide
    Arbitrary<String> base64ish() {
        return Arbitraries.strings().withChars("AQgw+/=!Bb09").ofMaxLength(12);
    }

    @Property
    void anyText_isReadAsARequest_orRefusedWithASerializationException(@ForAll("garbage") String text) {
        try {
            PutRecordJson.read(text);
        } catch (KinesisException e) {
            assertThat(e.errorCode()).isEqualTo("SerializationException");
        }
    }

    @Property(tries = 50)
    void typeErrors_areSerializationExceptions(@ForAll("wrongTypes") String value) {
        assertThatThrownBy(() -> PutRecordJson.read("{\"PartitionKey\":" + value + "}"))
                .isInstanceOfSatisfying(
                        KinesisException.class, e -> assertThat(e.errorCode()).isEqualTo("SerializationException"));
    }

    @Provide
    Arbitrary<PutRequest> requests() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40).injectNull(0.2);
        Arbitrary<byte[]> data =
                Arbitraries.bytes().array(byte[].class).ofMaxSize(100).injectNull(0.1);
        return Combinators.combine(text, text, data, text, text).as(PutRequest::new);
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withChars("{}[]\":,0123 ").ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> wrongTypes() {
        return Arbitraries.of("1", "1.5", "true", "false", "[]", "{}", "[\"a\"]", "{\"a\":1}", "-7", "1e99");
    }
}
