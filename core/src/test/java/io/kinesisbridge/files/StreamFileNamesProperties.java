package io.kinesisbridge.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** Stream names as file names: one per Kinesis name, reversible, safe on any file system. */
public class StreamFileNamesProperties {

    /** Every Kinesis stream name, weighted towards dots and capitals, up to the full 128 characters. */
    @Provide
    public static Arbitrary<String> streamNames() {
        Arbitrary<String> anyChars = Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
                .ofMinLength(1)
                .ofMaxLength(128);
        Arbitrary<String> dotty =
                Arbitraries.strings().withChars(".aA_-").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> capitals =
                Arbitraries.strings().withChars("ABCXYZ.").ofMinLength(100).ofMaxLength(128);
        return Arbitraries.frequencyOf(
                Tuple.of(4, anyChars),
                Tuple.of(4, dotty),
                Tuple.of(1, capitals),
                Tuple.of(1, Arbitraries.of(".", "..", "...", "a..b", "con", "CON", "stream.json")));
    }

    @Property(tries = 2000)
    void everyName_hasASafeFileName_thatLeadsBackToIt(@ForAll("streamNames") String name) {
        String file = StreamFileNames.of(name);

        assertThat(file).matches("[a-z0-9_.@+-]+").isNotIn(".", "..").hasSizeLessThanOrEqualTo(206);
        assertThat(file).doesNotEndWith(".").doesNotStartWith(".");
        assertThat(StreamFileNames.streamOf(file)).contains(name);
        assertThat(StreamFileNames.childOf(Path.of("data"), file).getParent())
                .isEqualTo(Path.of("data").toAbsolutePath());
    }

    @Property(tries = 2000)
    void twoNames_neverShareAFile_evenOnACaseInsensitiveFileSystem(
            @ForAll("streamNames") String a, @ForAll("streamNames") String b) {
        if (!a.equals(b)) {
            assertThat(StreamFileNames.of(a).toLowerCase(Locale.ROOT))
                    .isNotEqualTo(StreamFileNames.of(b).toLowerCase(Locale.ROOT));
        }
    }

    @Property(tries = 500)
    void anOrdinaryLowerCaseName_isItsOwnFileName(@ForAll("streamNames") String name) {
        String lower = "s" + name.toLowerCase(Locale.ROOT).replace(".", "");
        String ordinary = lower.substring(0, Math.min(lower.length(), 128));
        assertThat(StreamFileNames.of(ordinary)).isEqualTo(ordinary);
    }

    @Test
    void examples() {
        assertThat(StreamFileNames.of("clickstream")).isEqualTo("clickstream");
        assertThat(StreamFileNames.of("app-logs_v2.prod")).isEqualTo("app-logs_v2.prod");
        assertThat(StreamFileNames.of("a..b")).isEqualTo("a..b");
        assertThat(StreamFileNames.of(".")).isEqualTo("@@");
        assertThat(StreamFileNames.of("..")).isEqualTo("@@@");
        assertThat(StreamFileNames.of("...")).isEqualTo("@@@@");
        assertThat(StreamFileNames.of("Logs")).isEqualTo("@+logs");
        assertThat(StreamFileNames.of("logs.")).isEqualTo("@logs@");
        assertThat(StreamFileNames.of("_private")).isEqualTo("@_private");
        assertThat(StreamFileNames.of("con")).isEqualTo("@con");
        assertThat(StreamFileNames.of("nul.txt")).isEqualTo("@nul@txt");
        String capitals = "A".repeat(128);
        assertThat(StreamFileNames.of(capitals)).startsWith("+").hasSize(1 + 205);
        assertThat(StreamFileNames.streamOf(StreamFileNames.of(capitals))).contains(capitals);
    }

    @Test
    void fileNamesThisEncodingDoesNotMake_nameNoStream() {
        assertThat(StreamFileNames.streamOf("Logs")).isEmpty(); // the older layout: not a file name of ours
        assertThat(StreamFileNames.streamOf(".")).isEmpty();
        assertThat(StreamFileNames.streamOf("..")).isEmpty();
        assertThat(StreamFileNames.streamOf("@")).isEmpty();
        assertThat(StreamFileNames.streamOf("@+")).isEmpty();
        assertThat(StreamFileNames.streamOf("@clickstream")).isEmpty(); // plain names are not escaped
        assertThat(StreamFileNames.streamOf("+mfrgg")).isEmpty(); // base32 only past the escaped form's length
        assertThat(StreamFileNames.streamOf("stream.json.tmp")).contains("stream.json.tmp");
    }

    @Test
    void notAStreamName_orAPathLeavingTheDirectory_failsLoudly() {
        assertThatThrownBy(() -> StreamFileNames.of("a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a/b");
        assertThatThrownBy(() -> StreamFileNames.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamFileNames.of("x".repeat(129))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamFileNames.childOf(Path.of("data"), ".."))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> StreamFileNames.childOf(Path.of("data"), "."))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> StreamFileNames.childOf(Path.of("data"), "../x"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> StreamFileNames.childOf(Path.of("data"), "a/b"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> StreamFileNames.childOf(Path.of("data"), ""))
                .isInstanceOf(IllegalStateException.class);
    }
}
