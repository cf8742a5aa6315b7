package io.kinesisbridge.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The request body read as bytes, whatever the stream says of its length. */
class HttpIngestBodyTest {

    private final CamelContext context = started();

    private static CamelContext started() {
        CamelContext c = new DefaultCamelContext();
        c.start(); // loads the type converters
        return c;
    }

    private Message message(Object body) {
        Message m = new DefaultExchange(context).getMessage();
        m.setBody(body);
        return m;
    }

    private static byte[] big(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    @Test
    void aStreamThatKnowsItsLength_isReadWhole() {
        byte[] data = big(70_000);
        assertThat(HttpIngest.bodyBytes(message(new ByteArrayInputStream(data))))
                .isEqualTo(data);
    }

    @Test
    void aStreamThatAnnouncesLessThanItHas_isStillReadToItsEnd() {
        byte[] data = big(50_000);
        // a sequence of three streams announces only what its current part has
        InputStream parts = new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(data, 0, 10),
                new ByteArrayInputStream(data, 10, 20_000),
                new ByteArrayInputStream(data, 20_010, 29_990))));
        assertThat(HttpIngest.bodyBytes(message(parts))).isEqualTo(data);
    }

    @Test
    void otherBodies_areConvertedAndNoBodyIsEmpty() {
        assertThat(HttpIngest.bodyBytes(message("{\"a\":1}"))).isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(HttpIngest.bodyBytes(message(new byte[] {1, 2}))).containsExactly(1, 2);
        assertThat(HttpIngest.bodyBytes(message(null))).isEmpty();
        assertThat(HttpIngest.bodyBytes(message(new ByteArrayInputStream(new byte[0]))))
                .isEmpty();
    }
}
