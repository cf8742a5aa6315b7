package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.component.KinesisPutComponent;
import io.kinesisbridge.deadletter.DeadLetterSink;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    @Test
    void line_showsRatesAndTotalsPerStream_andIsQuietWhenNothingMoved() throws Exception {
        InMemoryKinesis kinesis = new InMemoryKinesis(MemoryBackendSettings.defaults());
        kinesis.createStream("s", 1);
        CamelContext context = new DefaultCamelContext();
        KinesisPutComponent component = new KinesisPutComponent();
        component.setBackend(kinesis);
        component.setDeadLetterSink((DeadLetterSink) letter -> {});
        context.addComponent("kinesis-put", component);
        context.start();
        try {
            ProgressReporter reporter = new ProgressReporter(context, 1);
            ProducerTemplate template = context.createProducerTemplate();
            for (int i = 0; i < 10; i++) {
                template.sendBody("kinesis-put:s?partitionKey=const:k", "r" + i);
            }
            template.sendBody("kinesis-put:s?partitionKey=header:none", "no key");
            assertThat(reporter.line())
                    .isEqualTo("progress (last 1 s): s 10 rec/s (in 11, acknowledged 10, dead-lettered 1, pending 0);");
            assertThat(reporter.line()).isNull();
        } finally {
            context.stop();
        }
    }
}
