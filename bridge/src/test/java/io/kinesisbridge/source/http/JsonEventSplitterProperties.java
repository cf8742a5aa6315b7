package io.kinesisbridge.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class JsonEventSplitterProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonEventSplitter splitter = new JsonEventSplitter(1 << 20);

    @Property
    void array_ndjson_andConcatenation_giveTheSameEvents_withTheirOwnBytes(@ForAll("events") List<String> events)
            throws Exception {
        String array = "[" + String.join(",", events) + "]";
        String ndjson = String.join("\n", events) + "\n";
        String spaced = String.join(" \r\n\t ", events);
        for (String body : List.of(array, ndjson, spaced)) {
            List<byte[]> split = splitter.split(body.getBytes(StandardCharsets.UTF_8));
            List<String> texts = new ArrayList<>();
            split.forEach(b -> texts.add(new String(b, StandardCharsets.UTF_8)));
            assertThat(texts).as(body).containsExactlyElementsOf(events);
            for (byte[] b : split) {
                JSON.readTree(b); // each event is JSON on its own
            }
        }
    }

    @Property
    void anyBytes_areSplitOrRefusedWith400Or413_neverAnotherException(@ForAll byte[] body) {
        try {
            splitter.split(body);
        } catch (HttpProblem p) {
            assertThat(p.status()).isIn(400, 413);
        }
    }

    @Property
    void anyText_isSplitOrRefusedWithALineAndColumn(@ForAll("jsonish") String text) {
        try {
            splitter.split(text.getBytes(StandardCharsets.UTF_8));
        } catch (HttpProblem p) {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.getMessage())
                    .matches("(?s)(Malformed JSON at line \\d+, column \\d+: .*|The body could not be read: .*)");
        }
    }

    @Test
    void deepNesting_isRefusedAs400_notAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> splitter.split(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        HttpProblem.class, p -> assertThat(p.status()).isEqualTo(400));
    }

    @Test
    void utf16Bodies_andInvalidUtf8_areRefusedAs400() {
        assertThatThrownBy(() -> splitter.split("{\"a\":1}".getBytes(StandardCharsets.UTF_16BE)))
                .isInstanceOfSatisfying(
                        HttpProblem.class, p -> assertThat(p.status()).isEqualTo(400));
        assertThatThrownBy(() -> splitter.split(new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'}))
                .isInstanceOfSatisfying(
                        HttpProblem.class, p -> assertThat(p.status()).isEqualTo(400));
    }

    @Test
    void hugeNumbers_areRefusedAs400() {
        String huge = "{\"n\":" + "9".repeat(5000) + "}";
        assertThatThrownBy(() -> splitter.split(huge.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        HttpProblem.class, p -> assertThat(p.status()).isEqualTo(400));
    }

    @Test
    void bodyOverTheLimit_is413() {
        assertThatThrownBy(() ->
                        new JsonEventSplitter(10).split("{\"a\":\"0123456789\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        HttpProblem.class, p -> assertThat(p.status()).isEqualTo(413));
    }

    @Test
    void arrayFollowedByMore_isRefused_emptyBodyHasNoEvents() {
        assertThatThrownBy(() -> splitter.split("[1] 2".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("content after the closing ]");
        assertThat(splitter.split("  \n".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(splitter.split("[]".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Provide
    Arbitrary<List<String>> events() {
        Arbitrary<String> strings = Arbitraries.strings().ofMaxLength(12);
        Arbitrary<Object> scalars = Arbitraries.oneOf(
                strings.map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<String> objects = Arbitraries.maps(strings, scalars)
                .ofMaxSize(4)
                .map(m -> {
                    try {
                        return JSON.writeValueAsString(m);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        // no arrays at the root: a body that starts with [ is one array of events, by definition
        Arbitrary<String> others =
                Arbitraries.of("1", "-2.5e3", "\"text\"", "true", "null", "{\"a\":[1,{\"b\":[]}]}", "{}");
        return Arbitraries.oneOf(objects, others).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.strings().withChars("{}[]\":,0123abc \n\t-.eE\\").ofMaxLength(40);
    }
}
