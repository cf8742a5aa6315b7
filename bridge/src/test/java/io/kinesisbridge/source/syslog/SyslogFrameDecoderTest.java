package io.kinesisbridge.source.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SyslogFrameDecoderTest {

    private static List<SyslogFrame> decode(int max, List<byte[]> chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(new SyslogFrameDecoder(max));
        for (byte[] chunk : chunks) {
            channel.writeInbound(Unpooled.wrappedBuffer(chunk));
        }
        channel.finish(); // the sender closes: what is left is decoded as the last message
        List<SyslogFrame> frames = new ArrayList<>();
        Object o;
        while ((o = channel.readInbound()) != null) {
            frames.add((SyslogFrame) o);
        }
        return frames;
    }

    private static List<String> texts(List<SyslogFrame> frames) {
        return frames.stream()
                .map(f -> new String(f.bytes(), StandardCharsets.UTF_8))
                .toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void newlineFraming_lastMessageWithoutNewline_isKept() {
        assertThat(texts(decode(1000, List.of(bytes("<13>a\r\n<13>b\n\n<13>c")))))
                .containsExactly("<13>a", "<13>b", "<13>c");
    }

    @Test
    void octetCounting_messagesWithNewlinesInside_stayWhole() {
        String m1 = "<13>1 - h a - - - line one\nline two";
        String m2 = "<13>1 - h a - - - x";
        byte[] wire = bytes(bytes(m1).length + " " + m1 + bytes(m2).length + " " + m2 + "\n");
        assertThat(texts(decode(1000, List.of(wire)))).containsExactly(m1, m2);
    }

    @Test
    void octetCounting_frameCutShortByClose_isEmittedAsTruncated() {
        List<SyslogFrame> frames = decode(1000, List.of(bytes("20 <13>1 - - - -")));
        assertThat(texts(frames)).containsExactly("<13>1 - - - -");
        assertThat(frames.get(0).truncated()).isTrue();
        assertThat(frames.get(0).sizeOnWire()).isEqualTo(20);
    }

    @Test
    void octetCounting_tooLong_isCutAndTheRestSkipped() {
        String big = "<13>" + "x".repeat(30);
        List<SyslogFrame> frames = decode(10, List.of(bytes(big.length() + " " + big + "5 <13>y")));
        assertThat(texts(frames)).containsExactly(big.substring(0, 10), "<13>y");
        assertThat(frames.get(0).truncated()).isTrue();
        assertThat(frames.get(0).sizeOnWire()).isEqualTo(big.length());
        assertThat(frames.get(1).truncated()).isFalse();
    }

    @Test
    void newlineFraming_tooLong_isCutAndTheLineSkipped() {
        List<SyslogFrame> frames = decode(8, List.of(bytes("<13>abcdefghij"), bytes("klmno\n<13>ok\n")));
        assertThat(texts(frames)).containsExactly("<13>abcd", "<13>ok");
        assertThat(frames.get(0).truncated()).isTrue();
    }

    @Test
    void octetCounting_badPrefix_keepsTheBytesAsAMessage() {
        assertThat(texts(decode(100, List.of(bytes("12x garbage\n5 <13>z"))))).containsExactly("12x garbage", "<13>z");
    }

    @Property
    void anySplitOfTheStream_givesTheSameMessages(
            @ForAll("messages") List<String> messages,
            @ForAll boolean octets,
            @ForAll @IntRange(min = 1, max = 17) int chunk) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (String m : messages) {
            byte[] b = bytes(m);
            if (octets) {
                wire.writeBytes(bytes(b.length + " "));
                wire.writeBytes(b);
            } else {
                wire.writeBytes(b);
                wire.writeBytes(bytes("\n"));
            }
        }
        byte[] all = wire.toByteArray();
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < all.length; i += chunk) {
            chunks.add(Arrays.copyOfRange(all, i, Math.min(all.length, i + chunk)));
        }
        assertThat(texts(decode(4096, chunks))).containsExactlyElementsOf(messages);
    }

    @Provide
    Arbitrary<List<String>> messages() {
        // messages start with '<' as syslog's do; newline framing cannot carry a newline inside a message
        return Arbitraries.strings()
                .ofMinLength(1)
                .ofMaxLength(60)
                .excludeChars('\n', '\r')
                .map(s -> "<13>" + s)
                .list()
                .ofMaxSize(12);
    }

    /**
     * Any bytes at all (digits, spaces, NULs, newlines, huge length prefixes, invalid UTF-8), split anywhere: the
     * decoder never throws, never emits an empty or over-long frame, and emits no more bytes than it was sent.
     */
    @Property
    void anyBytes_anySplit_boundedFramesAndNoFailure(
            @ForAll("wireBytes") byte[] all,
            @ForAll @IntRange(min = 1, max = 40) int chunk,
            @ForAll @IntRange(min = 1, max = 64) int max) {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < all.length; i += chunk) {
            chunks.add(Arrays.copyOfRange(all, i, Math.min(all.length, i + chunk)));
        }
        List<SyslogFrame> frames = decode(max, chunks);
        long emitted = 0;
        for (SyslogFrame f : frames) {
            assertThat(f.bytes().length).isBetween(1, max);
            assertThat(f.sizeOnWire()).isGreaterThanOrEqualTo(f.bytes().length);
            emitted += f.bytes().length;
        }
        assertThat(emitted).isLessThanOrEqualTo(all.length);
    }

    @Provide
    Arbitrary<byte[]> wireBytes() {
        // mostly the bytes framing cares about, so that prefixes, separators and newlines meet often
        Arbitrary<Byte> framingBytes = Arbitraries.of(
                (byte) '0',
                (byte) '1',
                (byte) '9',
                (byte) ' ',
                (byte) '\n',
                (byte) '\r',
                (byte) 0,
                (byte) '<',
                (byte) 0xC3,
                (byte) 0xFF);
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.frequencyOf(Tuple.of(3, framingBytes), Tuple.of(1, any))
                .array(byte[].class)
                .ofMaxSize(300);
    }
}
