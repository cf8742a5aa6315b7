package io.kinesisbridge.source.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Messages built from random fields, written as senders write them, parse back to the same fields. */
class SyslogParserProperties {

    private final SyslogParser parser =
            new SyslogParser(Clock.fixed(Instant.parse("2026-06-15T00:00:00Z"), ZoneOffset.UTC));

    @Property
    void anyInput_parsesOrIsUnparsedWithAReason_neverThrows(@ForAll String raw) {
        SyslogParseResult r = parser.parse(raw);
        if (r instanceof SyslogParseResult.Unparsed u) {
            assertThat(u.error()).isNotBlank();
        }
    }

    @Property
    void anyPriPrefixedInput_neverThrows(@ForAll @IntRange(min = 0, max = 191) int pri, @ForAll String rest) {
        assertThat(parser.parse("<" + pri + ">" + rest)).isNotNull();
    }

    @Property
    void rfc5424_roundTrips(
            @ForAll @IntRange(min = 0, max = 191) int pri,
            @ForAll("timestamps") Optional<String> timestamp,
            @ForAll("headerField") Optional<String> host,
            @ForAll("headerField") Optional<String> app,
            @ForAll("headerField") Optional<String> procid,
            @ForAll("headerField") Optional<String> msgid,
            @ForAll("structuredData") Map<String, Map<String, List<String>>> sd,
            @ForAll("messages") String message) {
        StringBuilder b = new StringBuilder("<").append(pri).append(">1 ");
        b.append(timestamp.orElse("-"))
                .append(' ')
                .append(host.orElse("-"))
                .append(' ')
                .append(app.orElse("-"))
                .append(' ')
                .append(procid.orElse("-"))
                .append(' ')
                .append(msgid.orElse("-"))
                .append(' ');
        if (sd.isEmpty()) {
            b.append('-');
        }
        sd.forEach((id, params) -> {
            b.append('[').append(id);
            params.forEach((name, values) -> values.forEach(v -> b.append(' ')
                    .append(name)
                    .append("=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]"))
                    .append('"')));
            b.append(']');
        });
        if (!message.isEmpty()) {
            b.append(' ').append(message);
        }
        SyslogParseResult r = parser.parse(b.toString());
        assertThat(r).isInstanceOf(SyslogParseResult.Parsed.class);
        SyslogMessage m = ((SyslogParseResult.Parsed) r).message();
        assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC5424);
        assertThat(m.priority()).isEqualTo(pri);
        assertThat(m.timestamp()).isEqualTo(timestamp);
        assertThat(m.host()).isEqualTo(host);
        assertThat(m.app()).isEqualTo(app);
        assertThat(m.procid()).isEqualTo(procid);
        assertThat(m.msgid()).isEqualTo(msgid);
        assertThat(m.structuredData()).isEqualTo(sd);
        assertThat(m.message()).isEqualTo(message);
    }

    @Property
    void rfc3164_roundTrips(
            @ForAll @IntRange(min = 0, max = 191) int pri,
            @ForAll @IntRange(min = 1, max = 12) int month,
            @ForAll @IntRange(min = 1, max = 28) int day,
            @ForAll @IntRange(min = 0, max = 86399) int second,
            @ForAll("hosts") String host,
            @ForAll("tags") String tag,
            @ForAll("pids") Optional<String> pid,
            @ForAll("messages") String message) {
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        String time = String.format(
                "%s %2d %02d:%02d:%02d", months[month - 1], day, second / 3600, second / 60 % 60, second % 60);
        String raw = "<" + pri + ">" + time + " " + host + " " + tag
                + pid.map(p -> "[" + p + "]").orElse("") + ": " + message;
        SyslogParseResult r = parser.parse(raw);
        assertThat(r).isInstanceOf(SyslogParseResult.Parsed.class);
        SyslogMessage m = ((SyslogParseResult.Parsed) r).message();
        assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC3164);
        assertThat(m.priority()).isEqualTo(pri);
        // more than 31 days ahead of the clock (2026-06-15) is last year's
        LocalDateTime candidate = LocalDateTime.of(2026, month, day, second / 3600, second / 60 % 60, second % 60);
        int year = candidate.isAfter(LocalDateTime.of(2026, 7, 16, 0, 0)) ? 2025 : 2026;
        assertThat(m.timestamp())
                .contains(String.format(
                        "%d-%02d-%02dT%02d:%02d:%02dZ",
                        year, month, day, second / 3600, second / 60 % 60, second % 60));
        assertThat(m.host()).contains(host);
        assertThat(m.app()).contains(tag);
        assertThat(m.procid()).isEqualTo(pid);
        assertThat(m.message()).isEqualTo(message);
    }

    @Property
    void rfc3164_tagWithPidWithoutColon_roundTrips(
            @ForAll @IntRange(min = 0, max = 191) int pri,
            @ForAll("hosts") String host,
            @ForAll("tags") String tag,
            @ForAll @IntRange(min = 1, max = 4_000_000) int pid,
            @ForAll("messages") String message) {
        SyslogParseResult r =
                parser.parse("<" + pri + ">Jun 14 10:00:00 " + host + " " + tag + "[" + pid + "] " + message);
        SyslogMessage m = ((SyslogParseResult.Parsed) r).message();
        assertThat(m.host()).contains(host);
        assertThat(m.app()).contains(tag);
        assertThat(m.procid()).contains(String.valueOf(pid));
        assertThat(m.message()).isEqualTo(message);
    }

    @Property
    void rfc3164_contentWhoseFirstWordHasNoColonNorPid_staysWhole(
            @ForAll @IntRange(min = 0, max = 191) int pri,
            @ForAll("hosts") String host,
            @ForAll("tags") String word,
            @ForAll("messages") String more) {
        String content = word + " " + more;
        SyslogMessage m = ((SyslogParseResult.Parsed)
                        parser.parse("<" + pri + ">Jun 14 10:00:00 " + host + " " + content))
                .message();
        assertThat(m.app()).isEmpty();
        assertThat(m.procid()).isEmpty();
        assertThat(m.message()).isEqualTo(content);
    }

    @Provide
    Arbitrary<Optional<String>> headerField() {
        return Arbitraries.strings()
                .withCharRange('!', '~')
                .ofMinLength(1)
                .ofMaxLength(32)
                .filter(s -> !s.equals("-"))
                .optional();
    }

    @Provide
    Arbitrary<Optional<String>> timestamps() {
        return Arbitraries.longs()
                .between(0, 4_000_000_000L)
                .map(s -> Instant.ofEpochSecond(s)
                        .atOffset(ZoneOffset.ofHours((int) (s % 13)))
                        .toString())
                .filter(s -> s.length() > 19)
                .optional();
    }

    @Provide
    Arbitrary<Map<String, Map<String, List<String>>>> structuredData() {
        Arbitrary<String> name = Arbitraries.strings()
                .withCharRange('!', '~')
                .ofMinLength(1)
                .ofMaxLength(32)
                .filter(s -> s.chars().noneMatch(c -> c == '=' || c == ']' || c == '"'));
        Arbitrary<List<String>> values =
                Arbitraries.strings().ofMaxLength(20).list().ofMinSize(1).ofMaxSize(2);
        Arbitrary<Map<String, List<String>>> params =
                Arbitraries.maps(name, values).ofMaxSize(3).map(LinkedHashMap::new);
        return Arbitraries.maps(name, params).ofMaxSize(3).map(LinkedHashMap::new);
    }

    @Provide
    Arbitrary<String> messages() {
        return Arbitraries.strings()
                .ofMaxLength(80)
                .filter(s -> !s.startsWith("\uFEFF")
                        && !s.startsWith(" ")
                        && !(s.endsWith("\n") || s.endsWith("\r") || s.endsWith("\0")));
    }

    @Provide
    Arbitrary<String> hosts() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .withChars('.', '-')
                .ofMinLength(1)
                .ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> tags() {
        return Arbitraries.strings()
                .alpha()
                .numeric()
                .withChars('-', '_', '/', '.')
                .ofMinLength(1)
                .ofMaxLength(32);
    }

    @Provide
    Arbitrary<Optional<String>> pids() {
        return Arbitraries.integers().between(1, 4_000_000).map(String::valueOf).optional();
    }
}
