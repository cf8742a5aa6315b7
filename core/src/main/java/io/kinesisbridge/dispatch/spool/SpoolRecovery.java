package io.kinesisbridge.dispatch.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What opening a spool does: segments before the head checkpoint are deleted, the rest are read through; damaged
 * bytes between good frames are copied to a {@code .corrupt} file next to their segment and skipped (logged,
 * counted), and an incomplete last frame (a crash in mid-write) is cut off.
 */
final class SpoolRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolStore.class);

    /** The spool as found: its segments (index → size, after cutting), head, and what was kept or skipped. */
    record Recovered(TreeMap<Long, Long> segments, SpoolPosition head, SpoolStore.Recovery found) {}

    private final SegmentFiles files;
    private final ChannelOpener opener;

    SpoolRecovery(SegmentFiles files, ChannelOpener opener) {
        this.files = files;
        this.opener = opener;
    }

    Recovered recover() throws IOException {
        TreeMap<Long, Long> segments = files.list();
        if (!Files.isDirectory(files.dir())) {
            return new Recovered(segments, SpoolPosition.START, new SpoolStore.Recovery(0, 0, 0, 0, 0));
        }
        SpoolPosition head = files.readHead()
                .orElse(segments.isEmpty() ? SpoolPosition.START : new SpoolPosition(segments.firstKey(), 0));
        for (Long index : new ArrayList<>(segments.headMap(head.segment()).keySet())) {
            Files.deleteIfExists(files.segment(index));
            segments.remove(index);
        }
        if (segments.isEmpty()) {
            head = new SpoolPosition(head.segment(), 0);
        } else if (segments.firstKey() > head.segment()) {
            head = new SpoolPosition(segments.firstKey(), 0); // the head's segment was released whole
        }
        long found = 0;
        long foundBytes = 0;
        int corruptRanges = 0;
        long corruptBytes = 0;
        long torn = 0;
        for (Map.Entry<Long, Long> segment : new ArrayList<>(segments.entrySet())) {
            long index = segment.getKey();
            long size = segment.getValue();
            boolean last = index == segments.lastKey();
            long pos = index == head.segment() ? Math.min(head.offset(), size) : 0;
            long firstRecord = pos;
            try (FileChannel ch = opener.open(files.segment(index), Set.of(StandardOpenOption.READ))) {
                while (true) {
                    SpoolFrames.Next next = SpoolFrames.next(ch, pos, size);
                    if (next instanceof SpoolFrames.Frame f) {
                        found++;
                        foundBytes += f.bytes();
                        pos = f.end();
                    } else if (next instanceof SpoolFrames.Skip s) {
                        corruptRanges++;
                        corruptBytes += s.resumeAt() - s.start();
                        foundBytes += s.resumeAt() - s.start();
                        quarantine(ch, index, s.start(), s.resumeAt());
                        pos = s.resumeAt();
                    } else if (next instanceof SpoolFrames.Torn t) {
                        if (last) {
                            torn += t.limit() - t.start();
                            LOG.warn(
                                    "Spool {}: cut {} bytes of an unfinished write at the end of segment {} (a crash "
                                            + "while writing; those records were not acknowledged to their sources)",
                                    files.dir(),
                                    t.limit() - t.start(),
                                    index);
                            pos = t.start();
                        } else {
                            corruptRanges++;
                            corruptBytes += t.limit() - t.start();
                            foundBytes += t.limit() - t.start();
                            quarantine(ch, index, t.start(), t.limit());
                            pos = t.limit();
                        }
                        break;
                    } else {
                        break;
                    }
                }
            }
            if (last && pos < size) {
                try (FileChannel ch = opener.open(files.segment(index), Set.of(StandardOpenOption.WRITE))) {
                    ch.truncate(pos);
                }
                segments.put(index, pos);
            }
            if (index == head.segment() && firstRecord != head.offset()) {
                head = new SpoolPosition(index, firstRecord);
            }
        }
        if (found > 0 || corruptRanges > 0) {
            LOG.info(
                    "Spool {}: {} records ({} bytes) kept from before{}",
                    files.dir(),
                    found,
                    foundBytes,
                    corruptRanges == 0
                            ? ""
                            : "; " + corruptRanges + " damaged ranges (" + corruptBytes
                                    + " bytes) skipped and copied to .corrupt files");
        }
        return new Recovered(
                segments, head, new SpoolStore.Recovery(found, foundBytes, corruptRanges, corruptBytes, torn));
    }

    /** Copies damaged bytes next to their segment, so that they can be looked at; they are never sent. */
    private void quarantine(FileChannel ch, long index, long from, long to) throws IOException {
        Path target = files.corruptCopy(index);
        LOG.error(
                "Spool {}: segment {} has {} damaged bytes at offset {}; they are skipped and copied to {}",
                files.dir(),
                index,
                to - from,
                from,
                target);
        try (FileChannel out = FileChannel.open(
                target, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long pos = from;
            while (pos < to) {
                long n = ch.transferTo(pos, to - pos, out);
                if (n <= 0) {
                    break;
                }
                pos += n;
            }
        }
    }
}
