package io.kinesisbridge.source.syslog;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses one syslog message (without its transport framing) as RFC 5424 when its PRI is followed by a version
 * digit, otherwise as RFC 3164 (the BSD format). A message without a valid PRI, or one that claims RFC 5424 and
 * breaks its grammar, is returned as {@link SyslogParseResult.Unparsed} with the reason; parsing never throws.
 */
public final class SyslogParser {

    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    private static final int MAX_HOST = 255;
    private static final int MAX_APP = 48;
    private static final int MAX_PROCID = 128;
    private static final int MAX_MSGID = 32;
    private static final int MAX_SD_NAME = 32;
    private static final int MAX_TAG = 48;
    /** A tag without its colon is only taken when it is RFC 3164's: at most 32 characters. */
    private static final int MAX_BARE_TAG = 32;

    private final Clock clock;

    /** @param clock gives RFC 3164 timestamps, which carry neither year nor zone, the receiver's year and zone */
    public SyslogParser(Clock clock) {
        this.clock = clock;
    }

    public SyslogParser() {
        this(Clock.systemDefaultZone());
    }

    public SyslogParseResult parse(String raw) {
        String text = trimEnd(raw);
        try {
            return new SyslogParseResult.Parsed(parseOrThrow(text));
        } catch (Malformed e) {
            return new SyslogParseResult.Unparsed(text, e.getMessage());
        }
    }

    private SyslogMessage parseOrThrow(String s) {
        Cursor c = new Cursor(s);
        int priority = priority(c);
        if (c.more() && isDigit(c.peek()) && c.at(c.pos + 1, ' ')) {
            if (c.peek() != '1') {
                throw new Malformed("version " + c.peek() + " of RFC 5424 is not supported (only 1)");
            }
            c.pos += 2;
            return rfc5424(c, priority);
        }
        return rfc3164(c, priority);
    }

    // ---- PRI ------------------------------------------------------------------------------------------------

    private static int priority(Cursor c) {
        if (!c.more() || c.peek() != '<') {
            throw new Malformed("a syslog message starts with <PRI>, e.g. <13>");
        }
        c.pos++;
        int start = c.pos;
        while (c.more() && isDigit(c.peek()) && c.pos - start < 4) {
            c.pos++;
        }
        String digits = c.s.substring(start, c.pos);
        if (digits.isEmpty()
                || !c.more()
                || c.peek() != '>'
                || digits.length() > 3
                || (digits.length() > 1 && digits.charAt(0) == '0')) {
            throw new Malformed("PRI must be 1 to 3 digits between < and > (no leading zero)");
        }
        int priority = Integer.parseInt(digits);
        if (priority > 191) {
            throw new Malformed("PRI " + priority + " is above 191 (facility 23, severity 7)");
        }
        c.pos++;
        return priority;
    }

    // ---- RFC 5424 -------------------------------------------------------------------------------------------

    private static SyslogMessage rfc5424(Cursor c, int priority) {
        Optional<String> timestamp = nilOr(header(c, "TIMESTAMP", 64));
        if (timestamp.isPresent()) {
            try {
                OffsetDateTime.parse(timestamp.get(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            } catch (DateTimeParseException e) {
                throw new Malformed("TIMESTAMP '" + timestamp.get() + "' is not an RFC 3339 date-time with offset");
            }
        }
        c.expectSpace("TIMESTAMP");
        Optional<String> host = nilOr(header(c, "HOSTNAME", MAX_HOST));
        c.expectSpace("HOSTNAME");
        Optional<String> app = nilOr(header(c, "APP-NAME", MAX_APP));
        c.expectSpace("APP-NAME");
        Optional<String> procid = nilOr(header(c, "PROCID", MAX_PROCID));
        c.expectSpace("PROCID");
        Optional<String> msgid = nilOr(header(c, "MSGID", MAX_MSGID));
        c.expectSpace("MSGID");
        Map<String, Map<String, List<String>>> sd = structuredData(c);
        String message = "";
        if (c.more()) {
            if (c.peek() != ' ') {
                throw new Malformed("STRUCTURED-DATA must be followed by a space or the end of the message, at column "
                        + (c.pos + 1));
            }
            message = c.s.substring(c.pos + 1);
            if (message.startsWith("\uFEFF")) {
                message = message.substring(1);
            }
        }
        return new SyslogMessage(
                SyslogMessage.Format.RFC5424, priority, timestamp, host, app, procid, msgid, sd, message);
    }

    /** A header field: 1 to max printable US-ASCII characters (33-126). */
    private static String header(Cursor c, String name, int max) {
        int start = c.pos;
        while (c.more() && c.peek() != ' ') {
            char ch = c.peek();
            if (ch < 33 || ch > 126) {
                throw new Malformed(
                        name + " holds a character that is not printable US-ASCII at column " + (c.pos + 1));
            }
            c.pos++;
        }
        int length = c.pos - start;
        if (length == 0) {
            throw new Malformed(name + " is missing at column " + (start + 1) + " (use - for none)");
        }
        if (length > max) {
            throw new Malformed(name + " is longer than " + max + " characters");
        }
        return c.s.substring(start, c.pos);
    }

    private static Map<String, Map<String, List<String>>> structuredData(Cursor c) {
        Map<String, Map<String, List<String>>> sd = new LinkedHashMap<>();
        if (!c.more()) {
            throw new Malformed("STRUCTURED-DATA is missing (use - for none)");
        }
        if (c.peek() == '-') {
            c.pos++;
            return sd;
        }
        if (c.peek() != '[') {
            throw new Malformed("STRUCTURED-DATA must be - or start with [ at column " + (c.pos + 1));
        }
        while (c.more() && c.peek() == '[') {
            c.pos++;
            String id = sdName(c, "SD-ID");
            if (sd.containsKey(id)) {
                throw new Malformed("SD-ID " + id + " appears twice");
            }
            Map<String, List<String>> params = new LinkedHashMap<>();
            while (true) {
                if (!c.more()) {
                    throw new Malformed("SD-ELEMENT " + id + " is not closed with ]");
                }
                if (c.peek() == ']') {
                    c.pos++;
                    break;
                }
                c.expectSpace("SD-ID or PARAM-VALUE");
                String name = sdName(c, "PARAM-NAME");
                if (!c.more() || c.peek() != '=') {
                    throw new Malformed("PARAM-NAME " + name + " must be followed by =\"value\"");
                }
                c.pos++;
                if (!c.more() || c.peek() != '"') {
                    throw new Malformed("PARAM-VALUE of " + name + " must be in double quotes");
                }
                c.pos++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (!c.more()) {
                        throw new Malformed("PARAM-VALUE of " + name + " is not closed with \"");
                    }
                    char ch = c.s.charAt(c.pos++);
                    if (ch == '"') {
                        break;
                    }
                    if (ch == '\\' && c.more() && (c.peek() == '"' || c.peek() == '\\' || c.peek() == ']')) {
                        value.append(c.s.charAt(c.pos++));
                    } else if (ch == ']') {
                        throw new Malformed("PARAM-VALUE of " + name + " holds an unescaped ] (write \\])");
                    } else {
                        value.append(ch);
                    }
                }
                params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value.toString());
            }
            params.replaceAll((k, v) -> List.copyOf(v));
            sd.put(id, params);
        }
        return sd;
    }

    private static String sdName(Cursor c, String what) {
        int start = c.pos;
        while (c.more()) {
            char ch = c.peek();
            if (ch == '=' || ch == ' ' || ch == ']' || ch == '"') {
                break;
            }
            if (ch < 33 || ch > 126) {
                throw new Malformed(
                        what + " holds a character that is not printable US-ASCII at column " + (c.pos + 1));
            }
            c.pos++;
        }
        int length = c.pos - start;
        if (length == 0 || length > MAX_SD_NAME) {
            throw new Malformed(what + " must have 1 to " + MAX_SD_NAME + " characters, at column " + (start + 1));
        }
        return c.s.substring(start, c.pos);
    }

    private static Optional<String> nilOr(String field) {
        return field.equals("-") ? Optional.empty() : Optional.of(field);
    }

    // ---- RFC 3164 -------------------------------------------------------------------------------------------

    private SyslogMessage rfc3164(Cursor c, int priority) {
        Optional<String> timestamp = bsdTimestamp(c).or(() -> isoTimestamp(c));
        Optional<String> host = Optional.empty();
        if (timestamp.isPresent()) {
            int end = c.s.indexOf(' ', c.pos);
            String first = end < 0 ? c.s.substring(c.pos) : c.s.substring(c.pos, end);
            // a first word that is a tag ("sshd[42]:", "cron:") means the sender left the hostname out
            if (end > 0
                    && !first.isEmpty()
                    && !first.endsWith(":")
                    && first.indexOf('[') < 0
                    && first.length() <= MAX_HOST) {
                host = Optional.of(first);
                c.pos = end + 1;
            }
        }
        Optional<String> app = Optional.empty();
        Optional<String> procid = Optional.empty();
        String rest = c.s.substring(c.pos);
        int i = 0;
        while (i < rest.length()
                && i <= MAX_TAG
                && rest.charAt(i) != '['
                && rest.charAt(i) != ':'
                && rest.charAt(i) != ' ') {
            i++;
        }
        if (i > 0 && i <= MAX_TAG && i < rest.length()) {
            int j = i;
            String pid = null;
            if (rest.charAt(j) == '[') {
                int close = rest.indexOf(']', j);
                if (close > j + 1
                        && close - j - 1 <= MAX_PROCID
                        && rest.substring(j + 1, close).indexOf(' ') < 0) {
                    pid = rest.substring(j + 1, close);
                    j = close + 1;
                }
            }
            if (j < rest.length() && rest.charAt(j) == ':') {
                app = Optional.of(rest.substring(0, i));
                procid = Optional.ofNullable(pid);
                j++;
                if (j < rest.length() && rest.charAt(j) == ' ') {
                    j++;
                }
                rest = rest.substring(j);
            } else if (pid != null && (j == rest.length() || rest.charAt(j) == ' ') && isRfc3164Tag(rest, i)) {
                // TAG[PID] without the colon, as rsyslog's traditional forwarding writes messages that came as
                // RFC 5424; without a [PID] a first word is not taken for a tag ("hello world" stays whole)
                app = Optional.of(rest.substring(0, i));
                procid = Optional.of(pid);
                rest = rest.substring(Math.min(rest.length(), j + 1));
            }
        }
        return new SyslogMessage(
                SyslogMessage.Format.RFC3164, priority, timestamp, host, app, procid, Optional.empty(), Map.of(), rest);
    }

    /** An RFC 3164 TAG, as rsyslog reads one: 1 to 32 of {@code [A-Za-z0-9_./-]}. */
    private static boolean isRfc3164Tag(String s, int length) {
        if (length < 1 || length > MAX_BARE_TAG) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            char ch = s.charAt(k);
            boolean ok = (ch >= 'a' && ch <= 'z')
                    || (ch >= 'A' && ch <= 'Z')
                    || isDigit(ch)
                    || ch == '_'
                    || ch == '.'
                    || ch == '/'
                    || ch == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code hh:mm:ss} as digits (a String.matches here compiled a regex per message). */
    private static boolean isClockTime(String time) {
        return time.length() == 8
                && time.charAt(2) == ':'
                && time.charAt(5) == ':'
                && isDigit(time.charAt(0))
                && isDigit(time.charAt(1))
                && isDigit(time.charAt(3))
                && isDigit(time.charAt(4))
                && isDigit(time.charAt(6))
                && isDigit(time.charAt(7));
    }

    /** "Mmm dd hh:mm:ss " (day padded with a space or a zero), completed with the receiver's year and zone. */
    private Optional<String> bsdTimestamp(Cursor c) {
        String s = c.s;
        int p = c.pos;
        if (s.length() < p + 16 || s.charAt(p + 3) != ' ' || s.charAt(p + 6) != ' ' || s.charAt(p + 15) != ' ') {
            return Optional.empty();
        }
        int month = -1;
        for (int m = 0; m < 12; m++) {
            if (s.startsWith(MONTHS[m], p)) {
                month = m + 1;
                break;
            }
        }
        String dd = s.substring(p + 4, p + 6).trim();
        String time = s.substring(p + 7, p + 15);
        if (month < 0 || dd.isEmpty() || !dd.chars().allMatch(SyslogParser::isDigit) || !isClockTime(time)) {
            return Optional.empty();
        }
        try {
            ZonedDateTime now = ZonedDateTime.now(clock);
            ZoneId zone = clock.getZone();
            int day = Integer.parseInt(dd);
            int hour = Integer.parseInt(time.substring(0, 2));
            int minute = Integer.parseInt(time.substring(3, 5));
            int second = Integer.parseInt(time.substring(6, 8));
            ZonedDateTime t = LocalDateTime.of(now.getYear(), month, day, hour, minute, second)
                    .atZone(zone);
            if (t.isAfter(now.plusDays(31))) {
                t = t.minusYears(1); // December's messages read in January
            }
            c.pos = p + 16;
            return Optional.of(t.toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** An RFC 3339 timestamp where RFC 3164 has its own, as rsyslog's forwarding format sends. */
    private static Optional<String> isoTimestamp(Cursor c) {
        int end = c.s.indexOf(' ', c.pos);
        if (end < 0 || end - c.pos < 20 || !isDigit(c.s.charAt(c.pos))) {
            return Optional.empty();
        }
        String candidate = c.s.substring(c.pos, end);
        try {
            OffsetDateTime.parse(candidate, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        c.pos = end + 1;
        return Optional.of(candidate);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** Drops the line ends and NULs senders append; they are framing, not message. */
    private static String trimEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean isDigit(int ch) {
        return ch >= '0' && ch <= '9';
    }

    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        boolean more() {
            return pos < s.length();
        }

        char peek() {
            return s.charAt(pos);
        }

        boolean at(int index, char ch) {
            return index < s.length() && s.charAt(index) == ch;
        }

        void expectSpace(String after) {
            if (!more() || peek() != ' ') {
                throw new Malformed("a space must follow " + after + " at column " + (pos + 1));
            }
            pos++;
        }
    }

    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
