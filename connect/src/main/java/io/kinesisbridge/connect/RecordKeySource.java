package io.kinesisbridge.connect;

import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.JsonFieldReader;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Where a record's partition key (or its ExplicitHashKey) comes from, written as in the connector's configuration:
 * <ul>
 *   <li>{@code record-key} — the Kafka record's key</li>
 *   <li>{@code json:/POINTER} — the scalar at a JSON Pointer in the record's data, such as {@code json:/user/id}</li>
 *   <li>{@code header:NAME} — the record's last header NAME</li>
 *   <li>{@code topic-partition} — {@code TOPIC-PARTITION}: a partition's records keep their order in one shard</li>
 *   <li>{@code random} — a new random key per record (spreads load, keeps no order)</li>
 *   <li>{@code hash} — the hex MD5 of the data (equal data, equal key)</li>
 * </ul>
 * An empty value counts as no value.
 */
sealed interface RecordKeySource {

    String SYNTAX = "record-key, json:/POINTER, header:NAME, topic-partition, random or hash";

    /**
     * The value for one record whose data is {@code data}; empty when the record has none.
     *
     * @throws IllegalArgumentException when the value cannot be read (the data is not JSON, the key is a Struct)
     */
    Optional<String> extract(SinkRecord record, byte[] data);

    /** What was looked for, for the error when nothing was found. */
    String describe();

    /** @throws IllegalArgumentException when {@code spec} is none of {@link #SYNTAX} */
    static RecordKeySource parse(String spec) {
        String s = spec == null ? "" : spec.trim();
        switch (s) {
            case "record-key":
                return new RecordKey();
            case "topic-partition":
                return new TopicPartitionKey();
            case "random":
                return new RandomKey();
            case "hash":
                return new DataHash();
            default:
                break;
        }
        if (s.startsWith("json:")) {
            String pointer = s.substring("json:".length());
            try {
                return new JsonField(new JsonFieldReader(pointer));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + spec + "': " + e.getMessage());
            }
        }
        if (s.startsWith("header:") && s.length() > "header:".length()) {
            return new HeaderValue(s.substring("header:".length()));
        }
        throw new IllegalArgumentException("'" + spec + "' is not a key source; use " + SYNTAX);
    }

    record RecordKey() implements RecordKeySource {
        public Optional<String> extract(SinkRecord record, byte[] data) {
            return RecordValues.text(record.key());
        }

        public String describe() {
            return "the record key";
        }
    }

    record JsonField(JsonFieldReader reader) implements RecordKeySource {
        public Optional<String> extract(SinkRecord record, byte[] data) {
            return reader.read(data).filter(v -> !v.isEmpty());
        }

        public String describe() {
            return "JSON field " + reader.pointer() + " of the value";
        }
    }

    record HeaderValue(String name) implements RecordKeySource {
        public Optional<String> extract(SinkRecord record, byte[] data) {
            Header header = record.headers() == null ? null : record.headers().lastWithName(name);
            return header == null ? Optional.empty() : RecordValues.text(header.value());
        }

        public String describe() {
            return "header '" + name + "'";
        }
    }

    record TopicPartitionKey() implements RecordKeySource {
        public Optional<String> extract(SinkRecord record, byte[] data) {
            return Optional.of(record.topic() + "-" + record.kafkaPartition());
        }

        public String describe() {
            return "the topic and partition";
        }
    }

    record RandomKey() implements RecordKeySource {
        public Optional<String> extract(SinkRecord record, byte[] data) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            return Optional.of(
                    HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextLong()));
        }

        public String describe() {
            return "a random key";
        }
    }

    record DataHash() implements RecordKeySource {
        public Optional<String> extract(SinkRecord record, byte[] data) {
            return Optional.of(HexFormat.of().formatHex(HashKey.md5(data)));
        }

        public String describe() {
            return "the MD5 of the data";
        }
    }
}
