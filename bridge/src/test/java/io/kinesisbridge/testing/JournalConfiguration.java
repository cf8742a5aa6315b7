package io.kinesisbridge.testing;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.RecordResult;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Wraps the bridge's backend so that every record it accepts is appended to the journal file
 * ({@code -Djournal=FILE}) before the bridge hears of it. Kept out of io.kinesisbridge.app, whose classes Camel
 * Main scans for configurations.
 */
public final class JournalConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext context) {
        KinesisBackend inner = context.getRegistry().lookupByNameAndType("kinesisBackend", KinesisBackend.class);
        context.getRegistry()
                .bind("kinesisBackend", KinesisBackend.class, new Journaled(inner, System.getProperty("journal")));
    }

    /** The data of every record of {@code stream} the backend accepted so far, in journal order, as UTF-8 text. */
    public static List<String> records(Path journal, String stream) {
        List<String> data = new ArrayList<>();
        if (!Files.exists(journal)) {
            return data;
        }
        try {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                String[] parts = line.split("\t", -1);
                if (parts.length == 3 && parts[0].equals(stream)) {
                    data.add(new String(Base64.getDecoder().decode(parts[2]), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return data;
    }

    /** One journal line per accepted record: stream, partition key and base64 data, tab-separated. */
    static final class Journaled implements KinesisBackend {
        private final KinesisBackend inner;
        private final OutputStream journal;

        Journaled(KinesisBackend inner, String file) {
            this.inner = inner;
            try {
                this.journal = new FileOutputStream(file, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private synchronized void write(String stream, PutRecordCommand c) {
            String line = stream + "\t" + c.partitionKey() + "\t"
                    + Base64.getEncoder().encodeToString(c.data()) + "\n";
            try {
                journal.write(line.getBytes(StandardCharsets.UTF_8)); // unbuffered: in the kernel once written
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public CompletableFuture<StreamDescription> describeStream(String streamName) {
            return inner.describeStream(streamName);
        }

        @Override
        public CompletableFuture<RecordResult.Accepted> putRecord(PutRecordCommand command) {
            return inner.putRecord(command).thenApply(a -> {
                write(command.streamName(), command);
                return a;
            });
        }

        @Override
        public CompletableFuture<PutRecordsResponse> putRecords(String streamName, List<PutRecordCommand> commands) {
            return inner.putRecords(streamName, commands).thenApply(r -> {
                for (int i = 0; i < commands.size(); i++) {
                    if (r.results().get(i) instanceof RecordResult.Accepted) {
                        write(streamName, commands.get(i));
                    }
                }
                return r;
            });
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
