package io.kinesisbridge.source.file;

import java.io.InputStream;

/** What the file-inbox route calls to split a file into batches of lines (see {@link LineBatches}). */
public final class FileLines {

    private final int batchSize;

    public FileLines(int batchSize) {
        this.batchSize = batchSize;
    }

    public LineBatches batches(InputStream file) {
        return new LineBatches(file, batchSize);
    }
}
