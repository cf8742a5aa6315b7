package io.kinesisbridge.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.dispatch.DispatchStats;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.testing.RecordingBackend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-key order, SequenceNumberForOrdering chaining and throttling, through the component, under faults. */
class KinesisPutOrderingTest {

    private final List<Object> deadLetters = Collections.synchronizedList(new ArrayList<>());
    private CamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    private KinesisPutComponent start(KinesisBackend backend) {
        return start(backend, 1, 20);
    }

    private KinesisPutComponent start(KinesisBackend backend, long baseDelayMs, long maxDelayMs) {
        return start(backend, baseDelayMs, maxDelayMs, options -> {});
    }

    /** The component's dispatch options are read at start, so {@code more} sets any others before it. */
    private KinesisPutComponent start(
            KinesisBackend backend, long baseDelayMs, long maxDelayMs, Consumer<KinesisPutDispatchConfiguration> more) {
        context = new DefaultCamelContext();
        KinesisPutComponent component = new KinesisPutComponent();
        component.setBackend(backend);
        component.setDeadLetterSink((DeadLetterSink) deadLetters::add);
        component.getDispatchConfiguration().setRetryBaseDelayMs(baseDelayMs);
        component.getDispatchConfiguration().setRetryMaxDelayMs(maxDelayMs);
        component.getDispatchConfiguration().setRetryMaxAttempts(60);
        more.accept(component.getDispatchConfiguration());
        context.addComponent("kinesis-put", component);
        context.start();
        return component;
    }

    @Test
    void orderingKey_keepsEachKeysEntryOrder_with4ThreadsAnd200Keys_under20PercentEntryFailures() throws Exception {
        InMemoryKinesis kinesis = new InMemoryKinesis(MemoryBackendSettings.defaults());
        kinesis.createStream("s", 4);
        RecordingBackend flaky = new RecordingBackend(kinesis, 42, 0.2, c -> false);
        KinesisPutComponent component = start(flaky);
        AsyncProducer producer = context.getEndpoint("kinesis-put:s?partitionKey=header:key&ordering=KEY")
                .createAsyncProducer();
        producer.start();
        int threads = 4;
        int perThread = 2000;
        CountDownLatch done = new CountDownLatch(threads * perThread);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    Exchange e = new DefaultExchange(context);
                    e.getMessage().setHeader("key", "t" + thread + "-k" + (i % 50));
                    e.getMessage().setBody("t" + thread + "-k" + (i % 50) + ":" + i);
                    producer.process(e, sync -> done.countDown());
                }
            });
            sender.start();
            senders.add(sender);
        }
        for (Thread s : senders) {
            s.join();
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();

        List<StreamRecord> stored = kinesis.readAll("s");
        assertThat(stored).hasSize(threads * perThread); // none lost, none twice
        Map<String, Integer> last = new HashMap<>();
        for (StreamRecord r : stored) {
            String[] parts = new String(r.data(), StandardCharsets.UTF_8).split(":");
            int n = Integer.parseInt(parts[1]);
            assertThat(n)
                    .as("record %s after %s of key %s", n, last.get(parts[0]), parts[0])
                    .isGreaterThan(last.getOrDefault(parts[0], -1));
            last.put(parts[0], n);
        }
        DispatchStats stats = component.dispatchers().get("s").stats();
        assertThat(stats.recordsRetried()).as("faults were injected").isGreaterThan(500);
        assertThat(stats.recordsAcknowledged()).isEqualTo(threads * perThread);
        assertThat(deadLetters).isEmpty();
        flaky.close();
    }

    @Test
    void orderingChain_setsSequenceNumberForOrderingToThePreviousRecordsSequence_andAFailureDoesNotBreakIt()
            throws Exception {
        InMemoryKinesis kinesis = new InMemoryKinesis(MemoryBackendSettings.defaults());
        kinesis.createStream("s", 2);
        RecordingBackend flaky = new RecordingBackend(
                kinesis, 7, 0.15, c -> new String(c.data(), StandardCharsets.UTF_8).endsWith(":poison"));
        start(flaky);
        AsyncProducer producer = context.getEndpoint("kinesis-put:s?partitionKey=header:key&ordering=CHAIN")
                .createAsyncProducer();
        producer.start();
        int keys = 10;
        int perKey = 30;
        CountDownLatch done = new CountDownLatch(keys * perKey);
        for (int i = 0; i < perKey; i++) {
            for (int k = 0; k < keys; k++) {
                Exchange e = new DefaultExchange(context);
                e.getMessage().setHeader("key", "key-" + k);
                e.getMessage().setBody("key-" + k + ":" + (i == 10 ? "poison" : String.valueOf(i)));
                producer.process(e, sync -> done.countDown());
            }
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();

        Map<String, List<RecordingBackend.Call>> byKey = new LinkedHashMap<>();
        for (RecordingBackend.Call call : flaky.calls()) {
            byKey.computeIfAbsent(call.command().partitionKey(), x -> new ArrayList<>())
                    .add(call);
        }
        assertThat(byKey).hasSize(keys);
        int retried = 0;
        for (Map.Entry<String, List<RecordingBackend.Call>> e : byKey.entrySet()) {
            Optional<String> previous = Optional.empty();
            int accepted = 0;
            for (RecordingBackend.Call call : e.getValue()) {
                assertThat(call.command().sequenceNumberForOrdering())
                        .as(
                                "call for %s of key %s",
                                new String(call.command().data(), StandardCharsets.UTF_8), e.getKey())
                        .isEqualTo(previous);
                if (call.result() instanceof RecordResult.Accepted a) {
                    previous = Optional.of(a.sequenceNumber());
                    accepted++;
                } else {
                    retried++;
                }
            }
            assertThat(accepted).isEqualTo(perKey - 1);
        }
        assertThat(retried).as("faults were injected").isGreaterThan(keys);
        assertThat(deadLetters).hasSize(keys); // the poison record of every key
        flaky.close();
    }

    @Test
    void shardLimitsOn_throttledRecordsAreRetriedUntilAccepted_noneDeadLettered() throws Exception {
        InMemoryKinesis kinesis =
                new InMemoryKinesis(MemoryBackendSettings.defaults().withShardLimits(true));
        kinesis.createStream("s", 1);
        // per-shard pacing would keep the throttling this test needs from happening
        KinesisPutComponent component = start(kinesis, 50, 500, options -> options.setShardFlowControl(false));
        AsyncProducer producer = context.getEndpoint("kinesis-put:s?partitionKey=header:key&batch=true&ordering=NONE")
                .createAsyncProducer();
        producer.start();
        int batches = 5;
        CountDownLatch done = new CountDownLatch(batches);
        List<Exchange> exchanges = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<String> body = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                body.add("b" + b + "-" + i);
            }
            Exchange e = new DefaultExchange(context);
            e.getMessage().setHeader("key", "k" + b);
            e.getMessage().setBody(body);
            exchanges.add(e);
            producer.process(e, sync -> done.countDown());
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        for (Exchange e : exchanges) {
            assertThat(e.getMessage().getHeader(KinesisPutConstants.FAILED_RECORD_COUNT))
                    .as(deadLetters.toString())
                    .isEqualTo(0);
        }
        assertThat(kinesis.readAll("s")).hasSize(2500);
        DispatchStats stats = component.dispatchers().get("s").stats();
        assertThat(stats.recordsThrottled()).isGreaterThan(0);
        assertThat(stats.recordsDeadLettered()).isZero();
    }
}
