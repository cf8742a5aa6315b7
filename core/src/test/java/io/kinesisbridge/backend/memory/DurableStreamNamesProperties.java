package io.kinesisbridge.backend.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.files.StreamFileNames;
import io.kinesisbridge.files.StreamFileNamesProperties;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Every name Kinesis accepts ({@code .}, {@code ..} and names of dots included) creates, persists, survives a
 * restart and deletes only its own files: beside the persist directory lie an operator's file and a dead-letter
 * file, inside it another stream with a record; none of them changes.
 */
class DurableStreamNamesProperties {

    private static final String NEIGHBOUR = "neighbour";

    private Path root;
    private Path persist;

    @Provide
    Arbitrary<String> streamNames() {
        return StreamFileNamesProperties.streamNames();
    }

    @BeforeProperty
    void layOut() throws IOException {
        root = Files.createTempDirectory("durable-names");
        persist = root.resolve("data/streams");
        Files.createDirectories(root.resolve("data/dead-letter"));
        Files.writeString(root.resolve("data/operator-notes.txt"), "keep me");
        Files.writeString(root.resolve("data/dead-letter/clickstream.ndjson"), "{\"a\":1}\n");
        InMemoryKinesis k = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), persist, false);
        k.createStream(NEIGHBOUR, 2);
        k.putRecord(PutRecordValidator.validate(PutRequest.of(NEIGHBOUR, "k", bytes("neighbour's record")), 1 << 20))
                .join();
        k.close();
    }

    @AfterProperty
    void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Property(tries = 300)
    void aStream_createdPersistedRestoredAndDeleted_touchesOnlyItsOwnFiles(@ForAll("streamNames") String name) {
        Assume.that(!name.equals(NEIGHBOUR));
        Map<String, String> before = files();

        InMemoryKinesis first = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), persist, false);
        first.createStream(name, 2);
        first.putRecord(PutRecordValidator.validate(PutRequest.of(name, "key", bytes("record of " + name)), 1 << 20))
                .join();
        first.close();
        Map<String, String> created = files();
        String own = "data/streams/" + StreamFileNames.of(name) + "/";
        assertThat(created).containsAllEntriesOf(before);
        assertThat(created.keySet())
                .filteredOn(f -> !before.containsKey(f))
                .isNotEmpty()
                .allMatch(f -> f.startsWith(own));

        InMemoryKinesis second = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), persist, false);
        assertThat(second.streamNames()).containsExactlyInAnyOrder(NEIGHBOUR, name);
        assertThat(second.readAll(name))
                .extracting(r -> new String(r.data(), StandardCharsets.UTF_8))
                .containsExactly("record of " + name);
        assertThat(second.readAll(NEIGHBOUR)).hasSize(1);
        second.deleteStream(name);
        second.close();

        assertThat(files()).isEqualTo(before);
        InMemoryKinesis third = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), persist, false);
        assertThat(third.streamNames()).containsExactly(NEIGHBOUR);
        third.close();
    }

    /** Every file under the root, by relative path, with a digest of its content (directories too, empty). */
    private Map<String, String> files() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String relative = root.relativize(p).toString().replace('\\', '/');
                files.put(
                        Files.isDirectory(p) ? relative + "/" : relative,
                        Files.isDirectory(p) ? "" : digest(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static String digest(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
