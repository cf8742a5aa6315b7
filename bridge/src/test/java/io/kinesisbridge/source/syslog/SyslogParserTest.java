package io.kinesisbridge.source.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyslogParserTest {

    private final SyslogParser parser =
            new SyslogParser(Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC));

    private SyslogMessage parsed(String raw) {
        SyslogParseResult r = parser.parse(raw);
        assertThat(r).isInstanceOf(SyslogParseResult.Parsed.class);
        return ((SyslogParseResult.Parsed) r).message();
    }

    private String error(String raw) {
        SyslogParseResult r = parser.parse(raw);
        assertThat(r).isInstanceOf(SyslogParseResult.Unparsed.class);
        return ((SyslogParseResult.Unparsed) r).error();
    }

    @Test
    void rfc5424_asLoggerSendsIt_givesEveryField() {
        SyslogMessage m = parsed("<13>1 2026-11-25T21:49:18.406065+00:00 vm myapp 42 ID7 "
                + "[timeQuality tzKnown=\"1\" isSynced=\"0\"][zoo@123 tiger=\"hungry\"] hello 5424");
        assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC5424);
        assertThat(m.facility()).isEqualTo("user");
        assertThat(m.severity()).isEqualTo("notice");
        assertThat(m.timestamp()).contains("2026-11-25T21:49:18.406065+00:00");
        assertThat(m.host()).contains("vm");
        assertThat(m.app()).contains("myapp");
        assertThat(m.procid()).contains("42");
        assertThat(m.msgid()).contains("ID7");
        assertThat(m.structuredData())
                .containsExactly(
                        Map.entry("timeQuality", Map.of("tzKnown", List.of("1"), "isSynced", List.of("0"))),
                        Map.entry("zoo@123", Map.of("tiger", List.of("hungry"))));
        assertThat(m.message()).isEqualTo("hello 5424");
    }

    @Test
    void rfc5424_nilFieldsAndNoMessage_areAbsent() {
        SyslogMessage m = parsed("<165>1 - - - - - -");
        assertThat(m.facility()).isEqualTo("local4");
        assertThat(m.severity()).isEqualTo("notice");
        assertThat(m.timestamp()).isEmpty();
        assertThat(m.host()).isEmpty();
        assertThat(m.app()).isEmpty();
        assertThat(m.structuredData()).isEmpty();
        assertThat(m.message()).isEmpty();
    }

    @Test
    void rfc5424_escapedParamValueAndBom_areDecoded() {
        SyslogMessage m = parsed("<14>1 2003-10-11T22:14:15.003Z host app - - [ex@1 a=\"q\\\"b\\\\c\\]d\"] \uFEFFmsg");
        assertThat(m.structuredData().get("ex@1").get("a")).containsExactly("q\"b\\c]d");
        assertThat(m.message()).isEqualTo("msg");
    }

    @Test
    void rfc5424_brokenGrammar_isUnparsedWithTheReason() {
        assertThat(error("<13>1 yesterday host app - - - m")).contains("TIMESTAMP 'yesterday'");
        assertThat(error("<13>1 - host app - - [ex@1 a=\"b] m")).contains("unescaped ]");
        assertThat(error("<13>1 - host app - - [ex@1 a=b] m")).contains("double quotes");
        assertThat(error("<13>1 - host")).contains("a space must follow HOSTNAME");
        assertThat(error("<13>2 - - - - - -")).contains("version 2");
    }

    @Test
    void rfc3164_asLoggerSendsIt_splitsTheTag() {
        SyslogMessage m = parsed("<13>Nov 25 21:49:18 vm root: hello 3164");
        assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC3164);
        assertThat(m.host()).contains("vm");
        assertThat(m.app()).contains("root");
        assertThat(m.procid()).isEmpty();
        assertThat(m.message()).isEqualTo("hello 3164");
        // November read in March is last year's
        assertThat(m.timestamp()).contains("2025-11-25T21:49:18Z");
    }

    @Test
    void rfc3164_tagWithPid_givesAppAndProcid() {
        SyslogMessage m = parsed("<38>Mar  7 01:02:03 gw sshd[4242]: Accepted publickey for bob");
        assertThat(m.facility()).isEqualTo("auth");
        assertThat(m.severity()).isEqualTo("info");
        assertThat(m.timestamp()).contains("2026-03-07T01:02:03Z");
        assertThat(m.app()).contains("sshd");
        assertThat(m.procid()).contains("4242");
        assertThat(m.message()).isEqualTo("Accepted publickey for bob");
    }

    @Test
    void rfc3164_withoutHostname_takesTheTag() {
        SyslogMessage m = parsed("<30>Mar 10 11:00:00 cron[7]: job done");
        assertThat(m.host()).isEmpty();
        assertThat(m.app()).contains("cron");
        assertThat(m.message()).isEqualTo("job done");
    }

    @Test
    void rfc3164_tagWithPidWithoutColon_asRsyslogForwardsRfc5424_givesAppAndProcid() {
        // rsyslog's RSYSLOG_TraditionalForwardFormat for a message that came as <14>1 ... myapp 1234 - - hello there
        SyslogMessage m = parsed("<14>Mar 10 11:00:00 web1 myapp[1234] hello there");
        assertThat(m.host()).contains("web1");
        assertThat(m.app()).contains("myapp");
        assertThat(m.procid()).contains("1234");
        assertThat(m.message()).isEqualTo("hello there");
        SyslogMessage noHost = parsed("<14>2026-03-10T11:00:00.5+01:00 my-app.v2/worker_1[abc-9] started");
        assertThat(noHost.host()).isEmpty();
        assertThat(noHost.app()).contains("my-app.v2/worker_1");
        assertThat(noHost.procid()).contains("abc-9");
        assertThat(noHost.message()).isEqualTo("started");
        SyslogMessage empty = parsed("<14>Mar 10 11:00:00 web1 myapp[1234]");
        assertThat(empty.app()).contains("myapp");
        assertThat(empty.message()).isEmpty();
    }

    @Test
    void rfc3164_wordsWithoutColonOrPid_stayWholeInTheMessage() {
        for (String content : List.of(
                "hello world",
                "GET /index.html 200",
                "app[] broken pid",
                "too~odd[12] tag chars",
                "a".repeat(33) + "[1] tag too long",
                "app[12]x no space after the pid")) {
            SyslogMessage m = parsed("<14>Mar 10 11:00:00 web1 " + content);
            assertThat(m.host()).as(content).contains("web1");
            assertThat(m.app()).as(content).isEmpty();
            assertThat(m.procid()).as(content).isEmpty();
            assertThat(m.message()).as(content).isEqualTo(content);
        }
    }

    @Test
    void rfc3164_withoutTimestampOrTag_keepsTheWholeContent() {
        SyslogMessage m = parsed("<13>just some text");
        assertThat(m.timestamp()).isEmpty();
        assertThat(m.host()).isEmpty();
        assertThat(m.app()).isEmpty();
        assertThat(m.message()).isEqualTo("just some text");
    }

    @Test
    void rfc3164_withIsoTimestamp_keepsIt() {
        SyslogMessage m = parsed("<13>2026-03-10T10:00:00.123+01:00 web1 nginx: GET /");
        assertThat(m.timestamp()).contains("2026-03-10T10:00:00.123+01:00");
        assertThat(m.host()).contains("web1");
        assertThat(m.app()).contains("nginx");
    }

    @Test
    void noPri_isUnparsed() {
        assertThat(error("hello")).contains("<PRI>");
        assertThat(error("<192>x")).contains("above 191");
        assertThat(error("<013>x")).contains("leading zero");
        assertThat(error("")).contains("<PRI>");
    }

    @Test
    void lineEndsAndNuls_areNotPartOfTheMessage() {
        assertThat(parsed("<13>1 - h a - - - text\r\n\0").message()).isEqualTo("text");
        assertThat(((SyslogParseResult.Unparsed) parser.parse("garbage\n")).raw())
                .isEqualTo("garbage");
        assertThat(parsed("<13>Mar 10 11:00:00 h t: x\n").message()).isEqualTo("x");
        assertThat(Optional.of(parsed("<0>1 - - - - - -").facility())).contains("kern");
    }
}
