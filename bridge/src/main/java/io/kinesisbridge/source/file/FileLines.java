package io.kinesisbridge.source.file;

import io.kinesisbridge.health.BridgeHealth;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * What the file-inbox route calls to split a file into batches of lines ({@link LineBatches}): memory stays
 * bounded whatever the file, a line longer than {@code maxLineBytes} is dead-lettered instead of sent. A file
 * from the file component is opened by this class, not followed through a link (see {@link RegularFiles}); other
 * bodies are read as a stream. When the exchange fails (the file goes to {@code .failed/}), a dead letter says
 * why; when an {@link Error} such as {@link OutOfMemoryError} was the cause, readiness is DOWN (part
 * {@value #HEALTH_PART}) until a later file is read completely.
 */
public final class FileLines {

    public static final String HEALTH_PART = "file-inbox";

    private final int batchSize;
    private final FileDeadLetters deadLetters;
    private final RegularFiles files;
    private final BridgeHealth health;

    public FileLines(int batchSize, FileDeadLetters deadLetters, RegularFiles files, BridgeHealth health) {
        this.batchSize = batchSize;
        this.deadLetters = deadLetters;
        this.files = files;
        this.health = health;
    }

    public LineBatches batches(Exchange exchange) throws IOException, InvalidPayloadException {
        Object body = exchange.getMessage().getBody();
        InputStream in;
        String name;
        if (body instanceof GenericFile<?> generic && generic.getFile() instanceof File file) {
            Path path = file.toPath();
            name = path.toString();
            in = files.open(path);
        } else {
            name = String.valueOf(
                    exchange.getMessage().getHeader(Exchange.FILE_NAME, "the message body", String.class));
            in = exchange.getMessage().getMandatoryBody(InputStream.class);
        }
        LineBatches batches =
                new LineBatches(in, batchSize, deadLetters.maxLineBytes(), line -> deadLetters.lineTooLong(name, line));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                health.up(HEALTH_PART);
            }

            @Override
            public void onFailure(Exchange failed) {
                Throwable cause = failed.getException() != null
                        ? failed.getException()
                        : failed.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                String reason =
                        describe(cause) + " at byte " + batches.position() + " (line " + (batches.lines() + 1) + ")";
                deadLetters.fileFailed(name, reason);
                Throwable error = errorIn(cause);
                if (error != null) {
                    health.down(
                            HEALTH_PART,
                            error.getClass().getSimpleName() + " while reading " + name
                                    + " (moved to .failed/); up again once a file is read completely");
                }
            }
        });
        return batches;
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "the route failed";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == cause ? cause.toString() : cause.getClass().getSimpleName() + " caused by " + root;
    }

    private static Throwable errorIn(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Error) {
                return t;
            }
        }
        return null;
    }
}
