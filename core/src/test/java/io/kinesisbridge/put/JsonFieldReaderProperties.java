package io.kinesisbridge.put;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonPointer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The JSON-pointer reader behind {@code json:/…} partition keys. Its byte scanner must give Jackson's answer
 * whenever it gives one: random documents (valid and broken, ASCII and not, escapes, deep nesting) are read both
 * ways.
 */
class JsonFieldReaderProperties {

    private static final List<String> POINTERS = List.of("/userId", "/user/id", "/a", "/a/b/userId", "/b", "/id");
    private static final List<String> KEYS = List.of("userId", "user", "id", "a", "b", "us\\u0065rId", "\u00e9", "");
    private static final List<String> STRINGS = List.of(
            "\"u1\"",
            "\"\"",
            "\"a\\\"b\"",
            "\"\u00e9t\u00e9\"",
            "\"\\u0041\"",
            "\"x\\ny\"",
            "\"tab\there\"",
            "\"\\q\"",
            "\"plain text, with } and ]\"");
    private static final List<String> NUMBERS =
            List.of("0", "-1", "12.5", "1e5", "-0.0E+2", "01", "-", "1.", "123456789012345678901234567890");
    private static final List<String> LITERALS = List.of("true", "false", "null", "tru", "nul");

    @Property(tries = 3000)
    void whenTheScannerAnswers_itIsJacksonsAnswer(@ForAll long seed, @ForAll("pointers") String pointer) {
        Random random = new Random(seed);
        StringBuilder doc = new StringBuilder();
        String[] path = pointer.substring(1).split("/");
        if (random.nextInt(10) < 8) {
            object(random, doc, 0, path);
        } else {
            value(random, doc, 0, path);
        }
        byte[] bytes = mutate(random, doc.toString().getBytes(StandardCharsets.UTF_8));
        JsonFieldReader reader = new JsonFieldReader(pointer);
        Optional<String> fast =
                ObjectPathScanner.find(bytes, ObjectPathScanner.plainPath(JsonPointer.compile(pointer)));
        Statistics.collect(fast == null ? "to Jackson" : fast.isPresent() ? "scanner: value" : "scanner: absent");
        if (fast == null) {
            return;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        Optional<String> jackson;
        try {
            jackson = reader.readWithJackson(bytes);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("scanner answered " + fast + " where Jackson fails (" + e.getMessage() + ") for "
                    + pointer + " in " + text);
        }
        assertThat(fast).as("%s in %s", pointer, text).isEqualTo(jackson);
        assertThat(reader.read(bytes)).isEqualTo(jackson);
    }

    @Provide
    Arbitrary<String> pointers() {
        return Arbitraries.of(POINTERS);
    }

    /** An object whose keys are often the path's segment for this depth, so that the path is often there. */
    private static void object(Random r, StringBuilder b, int depth, String[] path) {
        b.append(space(r)).append('{');
        int fields = depth > 4 ? 0 : r.nextInt(5);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                b.append(',');
            }
            String key = depth < path.length && r.nextBoolean() ? path[depth] : KEYS.get(r.nextInt(KEYS.size()));
            b.append(space(r))
                    .append('"')
                    .append(key)
                    .append('"')
                    .append(space(r))
                    .append(':');
            value(r, b, depth + 1, path);
        }
        b.append(space(r)).append('}');
    }

    private static void value(Random r, StringBuilder b, int depth, String[] path) {
        b.append(space(r));
        int kind = depth < path.length && r.nextBoolean() ? 3 : r.nextInt(depth > 4 ? 3 : 5);
        switch (kind) {
            case 0 -> b.append(STRINGS.get(r.nextInt(STRINGS.size())));
            case 1 -> b.append(NUMBERS.get(r.nextInt(NUMBERS.size())));
            case 2 -> b.append(LITERALS.get(r.nextInt(LITERALS.size())));
            case 3 -> object(r, b, depth, path);
            default -> {
                b.append('[');
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    value(r, b, depth + 1, path);
                }
                b.append(space(r)).append(']');
            }
        }
        b.append(space(r));
    }

    private static String space(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "\n\t ";
            default -> "";
        };
    }

    /** A fifth of the documents cut short, a tenth with one byte replaced. */
    private static byte[] mutate(Random r, byte[] doc) {
        if (doc.length > 0 && r.nextInt(5) == 0) {
            return Arrays.copyOf(doc, r.nextInt(doc.length));
        }
        if (doc.length > 0 && r.nextInt(10) == 0) {
            byte[] copy = doc.clone();
            byte[] pool = {'{', '}', '[', ']', '"', ',', ':', '\\', ' ', 0, (byte) 0xC3, 'x', '1'};
            copy[r.nextInt(copy.length)] = pool[r.nextInt(pool.length)];
            return copy;
        }
        return doc;
    }

    @Test
    void aClickstreamEvent_takesTheScanner() {
        byte[] event =
                "{\"userId\":\"u42\",\"page\":\"/cart\",\"ts\":1732600000,\"tags\":[\"a\",{\"b\":null}],\"ok\":true}"
                        .getBytes(StandardCharsets.UTF_8);
        byte[][] path = ObjectPathScanner.plainPath(JsonPointer.compile("/userId"));
        assertThat(ObjectPathScanner.find(event, path)).contains("u42");
        assertThat(ObjectPathScanner.find(event, ObjectPathScanner.plainPath(JsonPointer.compile("/ts"))))
                .contains("1732600000");
        assertThat(ObjectPathScanner.find(event, ObjectPathScanner.plainPath(JsonPointer.compile("/missing"))))
                .isEmpty();
    }

    @Test
    void readerAnswers_asDocumented() {
        JsonFieldReader userId = new JsonFieldReader("/user/id");
        assertThat(userId.read("{\"user\":{\"id\":7}}".getBytes(StandardCharsets.UTF_8)))
                .contains("7");
        assertThat(userId.read("{\"user\":{\"id\":null}}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(userId.read("{\"user\":[1]}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(new JsonFieldReader("/tags/1").read("{\"tags\":[\"a\",\"b\"]}".getBytes(StandardCharsets.UTF_8)))
                .contains("b");
        assertThat(new JsonFieldReader("/n").read("{\"n\":\"\u00e9\\u00e9\"}".getBytes(StandardCharsets.UTF_8)))
                .contains("\u00e9\u00e9");
        assertThatThrownBy(() -> userId.read("{\"user\":{\"id\":{}}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a string, number or boolean");
        assertThatThrownBy(() -> userId.read("{\"a\":01,\"user\":{\"id\":1}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> new JsonFieldReader("user")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Where Jackson refuses what a lenient scanner would take, the scanner leaves it to Jackson. */
    @Test
    void scannerLeavesToJackson_whatJacksonRefuses() {
        byte[][] b = ObjectPathScanner.plainPath(JsonPointer.compile("/b"));
        byte[][] ab = ObjectPathScanner.plainPath(JsonPointer.compile("/a/b"));
        for (String doc : List.of("{\"x\":1,}", "{\"x\":1, }", "{\"a\":{\"c\":1,}}")) {
            byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            assertThat(ObjectPathScanner.find(bytes, doc.startsWith("{\"a") ? ab : b))
                    .as(doc)
                    .isNull();
            assertThatThrownBy(() -> new JsonFieldReader(doc.startsWith("{\"a") ? "/a/b" : "/b").read(bytes))
                    .as(doc)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        byte[] longName = ("{\"" + "a".repeat(50_001) + "\":1,\"b\":\"v\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(ObjectPathScanner.find(longName, b)).isNull();
        assertThatThrownBy(() -> new JsonFieldReader("/b").read(longName)).isInstanceOf(IllegalArgumentException.class);
    }
}
