package io.kinesisbridge.testing;

import io.kinesisbridge.dispatch.spool.ChannelOpener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A disk that fills up: files opened through {@link #opener()} are real, but once {@code free} bytes have been
 * written (in all of them together) a write stores what still fits and then fails with "No space left on device",
 * as ENOSPC does. Freeing bytes (as another program deleting files would) lets writes succeed again.
 */
public final class FullDisk {

    private final AtomicLong free;
    public final AtomicInteger failures = new AtomicInteger();
    /** While set, every fsync fails with EIO, as on a dying disk; writes still go through. */
    public final AtomicBoolean failingFsync = new AtomicBoolean();

    public FullDisk(long freeBytes) {
        this.free = new AtomicLong(freeBytes);
    }

    public void free(long bytes) {
        free.addAndGet(bytes);
    }

    public void setFree(long bytes) {
        free.set(bytes);
    }

    public ChannelOpener opener() {
        return (path, options) -> new Channel(FileChannel.open(path, options));
    }

    private final class Channel extends FileChannel {
        private final FileChannel real;

        Channel(FileChannel real) {
            this.real = real;
        }

        private int allow(int wanted) throws IOException {
            long left = free.get();
            if (left <= 0) {
                failures.incrementAndGet();
                throw new IOException("No space left on device");
            }
            int n = (int) Math.min(wanted, left);
            free.addAndGet(-n);
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!src.hasRemaining()) {
                return 0;
            }
            int n = allow(src.remaining());
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + n);
            int written = real.write(part);
            src.position(src.position() + written);
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                while (srcs[i].hasRemaining()) {
                    if (total > 0 && free.get() <= 0) {
                        return total; // a short write; the next call fails
                    }
                    total += write(srcs[i]);
                }
            }
            return total;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            int n = allow(src.remaining());
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + n);
            int written = real.write(part, position);
            src.position(src.position() + written);
            return written;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            long before = real.size();
            real.truncate(size);
            if (size < before) {
                free.addAndGet(before - size);
            }
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failingFsync.get()) {
                failures.incrementAndGet();
                throw new IOException("Input/output error (simulated fsync failure)");
            }
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new IOException("not supported by this test channel");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new IOException("not supported by this test channel");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
