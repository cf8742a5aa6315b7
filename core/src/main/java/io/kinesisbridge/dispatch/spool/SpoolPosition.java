package io.kinesisbridge.dispatch.spool;

/** A place in a spool: a segment file and a byte offset in it, always at a frame boundary. */
public record SpoolPosition(long segment, long offset) implements Comparable<SpoolPosition> {

    public static final SpoolPosition START = new SpoolPosition(0, 0);

    @Override
    public int compareTo(SpoolPosition o) {
        int c = Long.compare(segment, o.segment);
        return c != 0 ? c : Long.compare(offset, o.offset);
    }
}
