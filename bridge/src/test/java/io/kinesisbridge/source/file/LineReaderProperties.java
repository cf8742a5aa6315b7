package io.kinesisbridge.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class LineReaderProperties {

    /** An item as text, to compare readings: offsets, and the line or the long line's length and sample. */
    private static String describe(LineReader.Item item) {
        if (item instanceof LineReader.Line l) {
            return l.start() + "-" + l.end() + " line " + new String(l.content(), StandardCharsets.ISO_8859_1);
        }
        LineReader.LongLine l = (LineReader.LongLine) item;
        return l.start() + "-" + l.end() + " long " + l.length() + " "
                + new String(l.sample(), StandardCharsets.ISO_8859_1);
    }

    private static LineReader.Source slice(byte[] bytes, long from, int to) {
        return LineReader.Source.of(new ByteArrayInputStream(bytes, (int) from, to - (int) from));
    }

    /**
     * What the tailer does: the file grows, each poll reads the complete lines from where the last one stopped and
     * goes on with a long line it ended in; the items are those of one reading of the whole file.
     */
    @Property
    void readingAGrowingFile_pollByPoll_givesTheItemsOfOneReading(
            @ForAll("text") String text,
            @ForAll @IntRange(min = 1, max = 12) int maxLineBytes,
            @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 200) Integer> cuts)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> once = new ArrayList<>();
        LineReader whole = new LineReader(slice(bytes, 0, bytes.length), 0, maxLineBytes);
        for (Optional<LineReader.Item> i = whole.next(true); i.isPresent(); i = whole.next(true)) {
            once.add(describe(i.get()));
        }

        TreeSet<Integer> sizes = new TreeSet<>();
        cuts.forEach(c -> sizes.add(Math.min(c, bytes.length)));
        sizes.add(bytes.length);
        List<String> polled = new ArrayList<>();
        long position = 0;
        Optional<LineReader.Skipping> skipping = Optional.empty();
        for (int size : sizes) {
            boolean last = size == bytes.length;
            if (size < position) {
                continue;
            }
            LineReader reader = new LineReader(slice(bytes, position, size), position, maxLineBytes, skipping);
            for (Optional<LineReader.Item> i = reader.next(last); i.isPresent(); i = reader.next(last)) {
                polled.add(describe(i.get()));
            }
            position = reader.lineStart();
            skipping = reader.skipping();
        }
        assertThat(polled).isEqualTo(once);
    }

    @Property(tries = 20)
    void aLongLineGrowingOverManyPolls_isReadOnce_notFromItsStartAtEachPoll(
            @ForAll @IntRange(min = 2, max = 30) int polls) throws IOException {
        int chunk = 100_000;
        byte[] bytes = new byte[polls * chunk + 1];
        Arrays.fill(bytes, (byte) 'q');
        bytes[bytes.length - 1] = '\n';
        long[] bytesRead = {0};
        Optional<LineReader.Skipping> skipping = Optional.empty();
        Optional<LineReader.Item> item = Optional.empty();
        for (int p = 1; p <= polls + 1 && item.isEmpty(); p++) {
            LineReader.Source file = slice(bytes, 0, Math.min(p * chunk, bytes.length));
            LineReader.Source counted = new LineReader.Source() {
                @Override
                public int read(byte[] into, int offset, int length) throws IOException {
                    int n = file.read(into, offset, length);
                    bytesRead[0] += Math.max(n, 0);
                    return n;
                }

                @Override
                public void skip(long n) throws IOException {
                    file.skip(n);
                }
            };
            LineReader reader = new LineReader(counted, 0, 1000, skipping);
            item = reader.next(false);
            skipping = reader.skipping();
        }
        assertThat(item)
                .get()
                .isInstanceOf(LineReader.LongLine.class)
                .satisfies(i -> assertThat(((LineReader.LongLine) i).length()).isEqualTo(polls * (long) chunk));
        assertThat(bytesRead[0]).isEqualTo(bytes.length);
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.of("a", "\r", "\n", "é", "\r\n", "abcdefghijklmnop", "0123456789abcdefghijklmnopqrstuvwxyz")
                .list()
                .ofMaxSize(25)
                .map(parts -> String.join("", parts));
    }
}
