package io.kinesisbridge.dispatch.spool;

/**
 * A record read back from the spool for forwarding.
 *
 * @param end        the position after its frame: what {@link StreamSpool#release} takes once it is acknowledged
 * @param frameBytes the bytes its frame holds on disk
 */
public record SpoolRead(SpoolRecord record, SpoolPosition end, int frameBytes) {
}
