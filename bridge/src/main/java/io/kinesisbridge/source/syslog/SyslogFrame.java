package io.kinesisbridge.source.syslog;

/**
 * One syslog message as it came off the wire, without framing.
 *
 * @param bytes        the message, at most the configured maximum size
 * @param sizeOnWire   how many bytes the sender sent for it (at least, for a cut line whose end was skipped);
 *                     more than {@code bytes.length} when it was cut
 */
public record SyslogFrame(byte[] bytes, long sizeOnWire) {

    public SyslogFrame(byte[] bytes) {
        this(bytes, bytes.length);
    }

    /** Whether the message was longer than the maximum size and was cut to it. */
    public boolean truncated() {
        return sizeOnWire > bytes.length;
    }
}
