package io.kinesisbridge.source.syslog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One parsed syslog message. Absent header fields (RFC 5424's {@code -}, or what RFC 3164 does not carry) are
 * empty. For RFC 3164 the tag is split into {@code app} and {@code procid} ({@code sshd[42]:} gives app sshd,
 * procid 42; so does {@code sshd[42]} without the colon, as rsyslog forwards RFC 5424 messages in the traditional
 * format) and the timestamp is completed with the receiver's year and zone.
 *
 * @param structuredData SD-ID → parameter name → values (a parameter may repeat), in the order sent
 */
public record SyslogMessage(
        Format format,
        int priority,
        Optional<String> timestamp,
        Optional<String> host,
        Optional<String> app,
        Optional<String> procid,
        Optional<String> msgid,
        Map<String, Map<String, List<String>>> structuredData,
        String message) {

    public enum Format {
        RFC5424("rfc5424"),
        RFC3164("rfc3164");

        private final String label;

        Format(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final String[] FACILITIES = {
        "kern",
        "user",
        "mail",
        "daemon",
        "auth",
        "syslog",
        "lpr",
        "news",
        "uucp",
        "cron",
        "authpriv",
        "ftp",
        "ntp",
        "security",
        "console",
        "solaris-cron",
        "local0",
        "local1",
        "local2",
        "local3",
        "local4",
        "local5",
        "local6",
        "local7"
    };
    private static final String[] SEVERITIES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    public SyslogMessage {
        Objects.requireNonNull(format, "format");
        if (priority < 0 || priority > 191) {
            throw new IllegalArgumentException("priority " + priority + " is not between 0 and 191");
        }
        structuredData = Collections.unmodifiableMap(new LinkedHashMap<>(structuredData));
        Objects.requireNonNull(message, "message");
    }

    public int facilityCode() {
        return priority >> 3;
    }

    public int severityCode() {
        return priority & 7;
    }

    /** The facility's keyword (RFC 5424 table 1, as syslog.h names them): user, daemon, local0, … */
    public String facility() {
        return FACILITIES[facilityCode()];
    }

    /** The severity's keyword: emerg, alert, crit, err, warning, notice, info, debug. */
    public String severity() {
        return SEVERITIES[severityCode()];
    }
}
