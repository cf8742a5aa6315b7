package io.kinesisbridge.source.file;

import java.io.InputStream;

/** What the file-inbox route calls to split a file into batches of lines (see {@link LineBatches}). */
public final class FileLines {

    private final int batchSize;
    private final int maxLineBytes;

    public FileLines(int batchSize) {
        this(batchSize, Integer.MAX_VALUE);
    }

    /** @param maxLineBytes a longer line is sent in pieces of this size */
    public FileLines(int batchSize, int maxLineBytes) {
        this.batchSize = batchSize;
        this.maxLineBytes = maxLineBytes;
    }

    public LineBatches batches(InputStream file) {
        return new LineBatches(file, batchSize, maxLineBytes);
    }
}
