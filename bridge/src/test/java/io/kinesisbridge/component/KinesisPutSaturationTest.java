package io.kinesisbridge.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.put.RetryableKinesisException;
import io.kinesisbridge.testing.HeldBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** maxInFlightRecords bounds what an endpoint holds; REJECT refuses at once, BLOCK waits for room. */
class KinesisPutSaturationTest {

    /** The real backend, but no answer leaves before the test opens it. */
    private HeldBackend backend;

    private CamelContext context;

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.open();
        }
        if (context != null) {
            context.stop();
        }
    }

    private AsyncProducer producer(String options) throws Exception {
        InMemoryKinesis kinesis = new InMemoryKinesis(MemoryBackendSettings.defaults());
        kinesis.createStream("s", 1);
        context = new DefaultCamelContext();
        KinesisPutComponent component = new KinesisPutComponent();
        backend = new HeldBackend(kinesis);
        component.setBackend(backend);
        component.setDeadLetterSink((DeadLetterSink) letter -> {});
        context.addComponent("kinesis-put", component);
        context.start();
        AsyncProducer producer = context.getEndpoint(
                        "kinesis-put:s?partitionKey=const:k&maxInFlightRecords=3&" + options)
                .createAsyncProducer();
        producer.start();
        return producer;
    }

    private Exchange exchange(Object body) {
        Exchange e = new DefaultExchange(context);
        e.getMessage().setBody(body);
        return e;
    }

    @Test
    void reject_refusesTheRecordThatWouldPassTheBound_withARetryableBridgeSaturated() throws Exception {
        AsyncProducer producer = producer("whenSaturated=REJECT");
        CountDownLatch accepted = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            producer.process(exchange("r" + i), sync -> accepted.countDown());
        }
        Exchange fourth = exchange("r3");
        boolean sync = producer.process(fourth, done -> {});
        assertThat(sync).isTrue();
        assertThat(fourth.getException())
                .isInstanceOfSatisfying(
                        RetryableKinesisException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("BridgeSaturated"));
        backend.open();
        assertThat(accepted.await(10, TimeUnit.SECONDS)).isTrue();
        // room again once the first three are acknowledged
        Exchange fifth = exchange("r4");
        CountDownLatch done = new CountDownLatch(1);
        producer.process(fifth, s -> done.countDown());
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fifth.getException()).isNull();
        assertThat(fifth.getMessage().getHeader(KinesisPutConstants.SHARD_ID)).isNotNull();
    }

    @Test
    void block_waitsForRoom_thenGoesOn() throws Exception {
        AsyncProducer producer = producer("whenSaturated=BLOCK&saturationTimeout=10000");
        for (int i = 0; i < 3; i++) {
            producer.process(exchange("r" + i), s -> {});
        }
        CompletableFuture<Exchange> blocked = CompletableFuture.supplyAsync(() -> {
            Exchange e = exchange("r3");
            CountDownLatch done = new CountDownLatch(1);
            producer.process(e, s -> done.countDown());
            try {
                done.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return e;
        });
        // the fourth record must stay blocked while the first three are unanswered
        Awaitility.await()
                .during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> !blocked.isDone());
        backend.open();
        Exchange e = blocked.get(10, TimeUnit.SECONDS);
        assertThat(e.getException()).isNull();
        assertThat(e.getMessage().getHeader(KinesisPutConstants.SHARD_ID)).isNotNull();
    }

    @Test
    void batchLargerThanTheBound_stillGoesThrough_takingTheWholeBound() throws Exception {
        AsyncProducer producer = producer("whenSaturated=REJECT&batch=true");
        backend.open();
        Exchange e = exchange(List.of("a", "b", "c", "d", "e"));
        CountDownLatch done = new CountDownLatch(1);
        producer.process(e, s -> done.countDown());
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(e.getException()).isNull();
        assertThat(e.getMessage().getHeader(KinesisPutConstants.RESULTS, List.class))
                .hasSize(5);
    }
}
