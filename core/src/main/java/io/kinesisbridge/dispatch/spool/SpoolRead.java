package io.kinesisbridge.dispatch.spool;

/**
 * A record read back from the spool for forwarding.
 *
 * @param end the position after its frame: what {@link StreamSpool#release} takes once it is acknowledged
 */
public record SpoolRead(SpoolRecord record, SpoolPosition end) {}
