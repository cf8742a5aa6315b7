package io.kinesisbridge.source.syslog;

/** What the parser made of one message: the parsed message, or why it could not be parsed. */
public sealed interface SyslogParseResult {

    record Parsed(SyslogMessage message) implements SyslogParseResult {}

    /** A message that is not syslog as RFC 5424 or RFC 3164 describe it; it is forwarded as it came, flagged. */
    record Unparsed(String raw, String error) implements SyslogParseResult {}
}
