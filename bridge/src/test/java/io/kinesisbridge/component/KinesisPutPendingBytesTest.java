package io.kinesisbridge.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.testing.HeldBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream's pending-bytes budget seen from a route: refusals reach the source, nothing is dead-lettered. */
class KinesisPutPendingBytesTest {

    private final HeldBackend backend = HeldBackend.withStream("held");
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("kinesisBackend", KinesisBackend.class, backend);
        DeadLetterSink sink = deadLetters::add;
        camel.getRegistry().bind("deadLetterSink", DeadLetterSink.class, sink);
        KinesisPutComponent component = new KinesisPutComponent();
        component.getDispatchConfiguration().setMaxPendingBytes(2048);
        component.getDispatchConfiguration().setShardFlowControl(false);
        camel.addComponent("kinesis-put", component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:reject").to("kinesis-put:held?partitionKey=header:key&batch=true&whenSaturated=REJECT");
                from("direct:block")
                        .to(
                                "kinesis-put:held?partitionKey=header:key&batch=true&whenSaturated=BLOCK&saturationTimeout=300");
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        backend.releaseAll();
        camel.stop();
    }

    private static List<byte[]> records(int n) {
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new byte[500]);
        }
        return list;
    }

    @Test
    void reject_answersPerRecord_whenSomeFit_andFailsTheExchange_whenNoneFits() {
        CompletableFuture<Exchange> first = template.asyncSend("direct:reject", e -> {
            e.getMessage().setHeader("key", "a");
            e.getMessage().setBody(records(6));
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.heldCount() > 0);

        Exchange second = template.send("direct:reject", e -> {
            e.getMessage().setHeader("key", "b");
            e.getMessage().setBody(records(2));
        });
        assertThat(second.getException()).isInstanceOf(KinesisException.class);
        assertThat(((KinesisException) second.getException()).errorCode()).isEqualTo(KinesisError.BRIDGE_SATURATED);
        assertThat(((KinesisException) second.getException()).retryable()).isTrue();

        backend.releaseAll();
        Exchange done = first.join();
        // four 501-byte records fit in 2048 bytes; the other two were refused, answered per record like PutRecords
        assertThat(done.getException()).isNull();
        List<?> results = done.getMessage().getHeader(KinesisPutConstants.RESULTS, List.class);
        assertThat(results).hasSize(6);
        assertThat(results.subList(0, 4)).allSatisfy(r -> assertThat(r).isInstanceOf(RecordResult.Accepted.class));
        assertThat(results.subList(4, 6))
                .allSatisfy(r ->
                        assertThat(((RecordResult.Failed) r).error().code()).isEqualTo(KinesisError.BRIDGE_SATURATED));
        assertThat(done.getMessage().getHeader(KinesisPutConstants.FAILED_RECORD_COUNT, Integer.class))
                .isEqualTo(2);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void block_waitsForRoom_thenFailsTheExchangeSoTheSourceTakesItBack() {
        CompletableFuture<Exchange> filling = template.asyncSend("direct:block", e -> {
            e.getMessage().setHeader("key", "a");
            e.getMessage().setBody(records(4));
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.heldCount() == 1);

        Exchange waiting = template.send("direct:block", e -> {
            e.getMessage().setHeader("key", "b");
            e.getMessage().setBody(records(1));
        });

        assertThat(waiting.getException()).isInstanceOf(KinesisException.class).hasMessageContaining("was not taken");
        backend.releaseAll();
        assertThat(filling.join().getException()).isNull();
        assertThat(deadLetters).isEmpty();
    }
}
