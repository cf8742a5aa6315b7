package io.kinesisbridge.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.server.EndpointSettings;
import io.kinesisbridge.server.KinesisApi;
import io.kinesisbridge.server.KinesisEndpoint;
import io.kinesisbridge.server.ShardIterators;
import io.kinesisbridge.server.SignatureCheck;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The connector in a real Connect cluster in distributed mode (two workers, one KRaft broker, all in-process),
 * putting into the bridge's Kinesis-compatible endpoint over the in-memory backend, through the AWS SDK: every record
 * produced arrives, each key's records in the order they were produced, and the consumer group's committed offsets
 * reach the end of every partition; a record Kinesis would refuse goes to the dead-letter queue topic with AWS's
 * error in its headers.
 */
@Tag("slow")
class KinesisPutSinkConnectIT {

    private static final String TOPIC = "events";
    private static final String STREAM = "events-stream";
    private static final String CONNECTOR = "kinesis-sink";
    private static final int PARTITIONS = 4;
    private static final int KEYS = 40;

    private InMemoryKinesis store;
    private KinesisEndpoint endpoint;
    private EmbeddedConnectCluster connect;

    @BeforeEach
    void start() {
        store = new InMemoryKinesis(MemoryBackendSettings.defaults());
        store.createStream(STREAM, 4);
        Clock clock = Clock.systemUTC();
        endpoint = new KinesisEndpoint(
                new KinesisApi(
                        store, store, clock, new ShardIterators(clock, ShardIterators.DEFAULT_TTL), SignatureCheck.OFF),
                EndpointSettings.of("127.0.0.1", 0));
        endpoint.start();

        Map<String, String> workerProps = new HashMap<>();
        workerProps.put("offset.flush.interval.ms", "1000");
        // plugins from their ServiceLoader manifests only: no scan of the whole test class path
        workerProps.put("plugin.discovery", "service_load");
        // a worker that leaves hands its tasks over at once, not after the default five minutes
        workerProps.put("scheduled.rebalance.max.delay.ms", "1000");
        connect = new EmbeddedConnectCluster.Builder()
                .name("kinesis-put-it")
                .numWorkers(2)
                .numBrokers(1)
                .workerProps(workerProps)
                .build();
        connect.start();
        connect.kafka().createTopic(TOPIC, PARTITIONS);
    }

    @AfterEach
    void stop() {
        if (connect != null) {
            connect.stop();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private Map<String, String> connectorConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", KinesisPutSinkConnector.class.getName());
        c.put("tasks.max", "2");
        c.put("topics", TOPIC);
        c.put("key.converter", StringConverter.class.getName());
        c.put("value.converter", StringConverter.class.getName());
        c.put(KinesisSinkConfig.STREAM, STREAM);
        c.put(KinesisSinkConfig.ORDERING, "key");
        c.put(KinesisSinkConfig.REGION, "us-east-1");
        c.put(KinesisSinkConfig.ENDPOINT_OVERRIDE, endpoint.url());
        c.put(KinesisSinkConfig.CREDENTIALS, "static");
        c.put(KinesisSinkConfig.ACCESS_KEY_ID, "AKIDCONNECTIT");
        c.put(KinesisSinkConfig.SECRET_ACCESS_KEY, "not-a-secret");
        return c;
    }

    /**
     * Produces records {@code from} to {@code to - 1}: key {@code key-(n % KEYS)}, value {@code key#n}; an idempotent
     * producer keeps each partition in the order sent.
     */
    private void produce(int from, int to, Map<String, List<String>> sent) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                connect.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int n = from; n < to; n++) {
                String key = "key-" + (n % KEYS);
                String value = key + "#" + n;
                producer.send(new ProducerRecord<>(TOPIC, key, value));
                sent.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
            producer.flush();
        }
    }

    @Test
    void everyRecordProduced_arrivesInTheStream_inPerKeyOrder_andItsOffsetIsCommitted() throws Exception {
        connect.configureConnector(CONNECTOR, connectorConfig());
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 2, "the connector did not start");
        int total = 3000;
        Map<String, List<String>> sent = new LinkedHashMap<>();

        produce(0, total, sent);

        await().atMost(Duration.ofMinutes(2)).until(() -> distinctData().size() == total);
        Ledger ledger = ledger(sent);
        assertThat(ledger.lost).as("lost").isZero();
        assertThat(ledger.orderViolations).as("per-key order violations").isEmpty();
        await().atMost(Duration.ofMinutes(1)).until(() -> committedTotal() == total);
    }

    @Test
    void aWorkerStoppedMidStream_losesNothing_andKeysKeepTheirOrder() throws Exception {
        connect.configureConnector(CONNECTOR, connectorConfig());
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 2, "the connector did not start");
        int total = 4000;
        Map<String, List<String>> sent = new LinkedHashMap<>();
        produce(0, total / 2, sent);
        await().atMost(Duration.ofMinutes(1)).until(() -> !store.readAll(STREAM).isEmpty());

        connect.removeWorker();
        produce(total / 2, total, sent);

        connect.assertions()
                .assertConnectorAndExactlyNumTasksAreRunning(
                        CONNECTOR, 2, "the tasks did not move to the remaining worker");
        await().atMost(Duration.ofMinutes(2)).until(() -> distinctData().size() == total);
        Ledger ledger = ledger(sent);
        assertThat(ledger.lost).as("lost").isZero();
        assertThat(ledger.orderViolations).as("per-key order violations").isEmpty();
        await().atMost(Duration.ofMinutes(1)).until(() -> committedTotal() == total);
    }

    @Test
    void aRecordKinesisWouldRefuse_goesToTheDeadLetterQueueTopic_withTheAwsErrorInItsHeaders() throws Exception {
        Map<String, String> config = connectorConfig();
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", "events-dlq");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        connect.configureConnector(CONNECTOR, config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 2, "the connector did not start");
        Map<String, List<String>> sent = new LinkedHashMap<>();
        produce(0, 100, sent);
        Map<String, Object> props =
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.kafka().bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "k".repeat(300), "too long a key"))
                    .get();
        }

        await().atMost(Duration.ofMinutes(1)).until(() -> distinctData().size() == 100);
        ConsumerRecord<byte[], byte[]> letter = firstRecordOf("events-dlq");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("too long a key");
        assertThat(header(letter, "__connect.errors.exception.class.name"))
                .isEqualTo(KinesisRecordRejectedException.class.getName());
        assertThat(header(letter, "__connect.errors.exception.message"))
                .startsWith("ValidationException: 1 validation error detected")
                .contains("Member must have length less than or equal to 256");
        await().atMost(Duration.ofMinutes(1)).until(() -> committedTotal() == 101);
    }

    private ConsumerRecord<byte[], byte[]> firstRecordOf(String topic) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                connect.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "dlq-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                return !got.isEmpty();
            });
            return got.get(0);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private Set<String> distinctData() {
        Set<String> data = new TreeSet<>();
        for (StreamRecord r : store.readAll(STREAM)) {
            data.add(new String(r.data(), StandardCharsets.UTF_8));
        }
        return data;
    }

    /** What the stream holds against what was sent: lost records, extra copies, keys whose order broke. */
    private record Ledger(long lost, long duplicates, List<String> orderViolations) {}

    /**
     * A key's order holds when its records first appear in the stream in the order they were produced; a copy sent
     * again (at least once: a task moved before its offsets were committed) may follow, but never a first copy out
     * of turn.
     */
    private Ledger ledger(Map<String, List<String>> sent) {
        Map<String, List<String>> firstSeen = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (StreamRecord r : store.readAll(STREAM)) {
            String datum = new String(r.data(), StandardCharsets.UTF_8);
            assertThat(datum).startsWith(r.partitionKey() + "#");
            if (copies.merge(datum, 1, Integer::sum) == 1) {
                firstSeen
                        .computeIfAbsent(r.partitionKey(), k -> new ArrayList<>())
                        .add(datum);
            }
        }
        long lost = 0;
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : sent.entrySet()) {
            List<String> seen = firstSeen.getOrDefault(e.getKey(), List.of());
            lost += e.getValue().stream().filter(d -> !copies.containsKey(d)).count();
            if (!seen.equals(
                    e.getValue().subList(0, Math.min(seen.size(), e.getValue().size())))) {
                violations.add(e.getKey());
            }
        }
        long duplicates = copies.values().stream().mapToLong(c -> c - 1).sum();
        System.out.printf(
                "sent %d, in the stream %d distinct, duplicated %d, lost %d, keys out of order %d%n",
                sent.values().stream().mapToInt(List::size).sum(), copies.size(), duplicates, lost, violations.size());
        return new Ledger(lost, duplicates, violations);
    }

    /** The offsets the connector's consumer group committed, summed over the topic's partitions. */
    private long committedTotal() throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, connect.kafka().bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + CONNECTOR)
                    .partitionsToOffsetAndMetadata()
                    .get();
            return offsets.values().stream()
                    .filter(o -> o != null)
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        }
    }
}
