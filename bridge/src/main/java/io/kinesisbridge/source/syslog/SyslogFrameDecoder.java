package io.kinesisbridge.source.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a syslog TCP stream into messages. The first byte of the connection picks the framing (RFC 6587): a digit
 * means octet counting ({@code LEN SP MSG}), anything else newline framing (LF, with a CR before it dropped).
 * A message longer than {@code maxMessageBytes} is cut to it and marked; the rest of it is skipped. When the
 * connection closes, a last message without its newline, or an octet-counted frame cut short, is still emitted.
 * A frame whose length prefix is not a number is read up to the next newline instead, so nothing is dropped.
 * One instance per connection.
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {

    private static final int MAX_LENGTH_DIGITS = 10;

    private enum Framing {
        UNKNOWN,
        OCTET_COUNTING,
        NEWLINE
    }

    private final int maxMessageBytes;
    private Framing framing = Framing.UNKNOWN;
    /** Bytes still to skip of a message that was cut (octet counting) or of an over-long line (-1: to the newline). */
    private long skipping;
    /** While an over-long line is being skipped: its size so far, for the frame already emitted. */
    private boolean inOverlongLine;

    public SyslogFrameDecoder(int maxMessageBytes) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1");
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (!skip(in)) {
                return;
            }
            if (framing == Framing.UNKNOWN) {
                byte first = in.getByte(in.readerIndex());
                framing = first >= '0' && first <= '9' ? Framing.OCTET_COUNTING : Framing.NEWLINE;
            }
            int before = out.size();
            int readerBefore = in.readerIndex();
            if (framing == Framing.OCTET_COUNTING) {
                octetCounted(in, out, false);
            } else {
                line(in, out, false);
            }
            if (out.size() == before && in.readerIndex() == readerBefore) {
                return; // needs more bytes
            }
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (in.isReadable() && skipping == 0) {
            if (framing == Framing.OCTET_COUNTING) {
                octetCounted(in, out, true);
            } else {
                line(in, out, true);
            }
        }
        in.skipBytes(in.readableBytes());
    }

    /** Skips what remains of a cut message; false when more input is needed to finish skipping. */
    private boolean skip(ByteBuf in) {
        if (skipping > 0) {
            int n = (int) Math.min(skipping, in.readableBytes());
            in.skipBytes(n);
            skipping -= n;
            return skipping == 0;
        }
        if (inOverlongLine) {
            int newline = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (newline < 0) {
                in.skipBytes(in.readableBytes());
                return false;
            }
            in.readerIndex(newline + 1);
            inOverlongLine = false;
        }
        return true;
    }

    private void octetCounted(ByteBuf in, List<Object> out, boolean atEnd) {
        // separators some senders put between octet-counted frames
        while (in.isReadable() && isSpace(in.getByte(in.readerIndex()))) {
            in.skipBytes(1);
        }
        if (!in.isReadable()) {
            return;
        }
        int start = in.readerIndex();
        int i = start;
        long length = 0;
        while (i < in.writerIndex() && i - start <= MAX_LENGTH_DIGITS) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            length = length * 10 + (b - '0');
            i++;
        }
        boolean prefixComplete = i < in.writerIndex();
        if (!prefixComplete && !atEnd && i - start <= MAX_LENGTH_DIGITS) {
            return;
        }
        if (i == start || i - start > MAX_LENGTH_DIGITS || !prefixComplete || in.getByte(i) != ' ' || length == 0) {
            line(in, out, atEnd); // not a length prefix: keep the bytes as a message of their own
            return;
        }
        int bodyStart = i + 1;
        long available = in.writerIndex() - bodyStart;
        if (length <= maxMessageBytes) {
            if (available < length) {
                if (atEnd) {
                    in.readerIndex(bodyStart);
                    emit(in, (int) available, length, out);
                }
                return;
            }
            in.readerIndex(bodyStart);
            emit(in, (int) length, length, out);
            return;
        }
        if (available < maxMessageBytes && !atEnd) {
            return;
        }
        in.readerIndex(bodyStart);
        int kept = (int) Math.min(maxMessageBytes, available);
        emit(in, kept, length, out);
        skipping = length - kept;
    }

    private void line(ByteBuf in, List<Object> out, boolean atEnd) {
        int start = in.readerIndex();
        int newline = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (newline < 0) {
            int readable = in.readableBytes();
            if (readable > maxMessageBytes) {
                emit(in, maxMessageBytes, readable + 1L, out);
                in.skipBytes(in.readableBytes());
                inOverlongLine = true;
            } else if (atEnd) {
                emit(in, stripCr(in, start, readable), readable, out);
            }
            return;
        }
        int length = newline - start;
        int content = stripCr(in, start, length);
        if (content > maxMessageBytes) {
            emit(in, maxMessageBytes, content, out);
        } else if (content > 0) {
            emit(in, content, content, out);
        }
        in.readerIndex(newline + 1);
    }

    private static int stripCr(ByteBuf in, int start, int length) {
        return length > 0 && in.getByte(start + length - 1) == '\r' ? length - 1 : length;
    }

    private static void emit(ByteBuf in, int length, long sizeOnWire, List<Object> out) {
        byte[] bytes = new byte[length];
        in.getBytes(in.readerIndex(), bytes);
        in.skipBytes(length);
        if (length > 0) {
            out.add(new SyslogFrame(bytes, Math.max(sizeOnWire, length)));
        }
    }

    private static boolean isSpace(byte b) {
        return b == '\n' || b == '\r' || b == ' ' || b == 0;
    }
}
