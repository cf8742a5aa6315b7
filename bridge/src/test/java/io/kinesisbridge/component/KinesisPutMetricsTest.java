package io.kinesisbridge.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The dispatcher's counters appear as Micrometer meters in the registry Camel's Micrometer support uses. */
class KinesisPutMetricsTest {

    @Test
    void streamAndShardMeters_areBoundToTheCamelMetricsRegistry() throws Exception {
        InMemoryKinesis kinesis = new InMemoryKinesis(MemoryBackendSettings.defaults());
        kinesis.createStream("metered", 2);
        MeterRegistry registry = new SimpleMeterRegistry();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("metricsRegistry", registry);
            camel.getRegistry().bind("kinesisBackend", KinesisBackend.class, kinesis);
            DeadLetterSink ignore = letter -> {};
            camel.getRegistry().bind("deadLetterSink", DeadLetterSink.class, ignore);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to("kinesis-put:metered?partitionKey=header:key&batch=true");
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            template.sendBodyAndHeader("direct:in", List.of("a", "b", "c", "d"), "key", "user-1");
            template.sendBodyAndHeader("direct:in", List.of("e", "f"), "key", "user-2");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(registry.get("kinesis.bridge.records.in")
                                .tag("stream", "metered")
                                .functionCounter()
                                .count())
                        .isEqualTo(6);
                assertThat(registry.get("kinesis.bridge.records.acknowledged")
                                .tag("stream", "metered")
                                .functionCounter()
                                .count())
                        .isEqualTo(6);
                assertThat(registry.get("kinesis.bridge.records.in.flight")
                                .tag("stream", "metered")
                                .gauge()
                                .value())
                        .isZero();
                double perShard = registry
                        .find("kinesis.bridge.shard.records.acknowledged")
                        .tag("stream", "metered")
                        .functionCounters()
                        .stream()
                        .mapToDouble(c -> c.count())
                        .sum();
                assertThat(perShard).isEqualTo(6);
            });
            assertThat(registry.find("kinesis.bridge.shard.records.sent").functionCounters())
                    .extracting(m -> m.getId().getTag("shard"))
                    .contains("shardId-000000000000", "shardId-000000000001");
            assertThat(registry.get("kinesis.bridge.records.dead.lettered")
                            .functionCounter()
                            .count())
                    .isZero();
            assertThat(registry.get("kinesis.bridge.records.throttled")
                            .functionCounter()
                            .count())
                    .isZero();
            assertThat(registry.get("kinesis.bridge.records.retried")
                            .functionCounter()
                            .count())
                    .isZero();
            camel.stop();
            assertThat(registry.find("kinesis.bridge.records.in").meters()).isEmpty();
        }
    }
}
