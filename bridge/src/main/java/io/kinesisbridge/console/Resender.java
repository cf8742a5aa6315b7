package io.kinesisbridge.console;

import io.kinesisbridge.component.KinesisPutConstants;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

/**
 * Sends a record again through the kinesis-put component, so that it meets the validator, the stream's dispatcher
 * (lanes, retries, spool) and, when it fails again, the dead-letter output as any record of a route does.
 */
final class Resender implements AutoCloseable {

    private final ProducerTemplate template;

    Resender(CamelContext context) {
        this.template = context.createProducerTemplate();
    }

    /**
     * The outcome: {@code shardId} and {@code sequenceNumber} when Kinesis took it, {@code spooled} when the spool
     * holds it, {@code errorCode} and {@code errorMessage} when it was rejected (and dead-lettered again).
     */
    CompletableFuture<Map<String, Object>> send(String stream, String partitionKey, byte[] data) {
        return template.asyncSend("kinesis-put:" + stream, exchange -> {
                    exchange.getMessage().setBody(data);
                    exchange.getMessage().setHeader(KinesisPutConstants.PARTITION_KEY, partitionKey);
                })
                .thenApply(Resender::outcome);
    }

    private static Map<String, Object> outcome(Exchange exchange) {
        Map<String, Object> m = new LinkedHashMap<>();
        Message out = exchange.getMessage();
        String shard = out.getHeader(KinesisPutConstants.SHARD_ID, String.class);
        if (shard != null) {
            m.put("outcome", "accepted");
            m.put("shardId", shard);
            m.put("sequenceNumber", out.getHeader(KinesisPutConstants.SEQUENCE_NUMBER, String.class));
        } else if (Boolean.TRUE.equals(out.getHeader(KinesisPutConstants.SPOOLED, Boolean.class))) {
            m.put("outcome", "spooled");
        } else {
            m.put("outcome", "rejected");
            m.put("errorCode", out.getHeader(KinesisPutConstants.ERROR_CODE, String.class));
            m.put("errorMessage", out.getHeader(KinesisPutConstants.ERROR_MESSAGE, String.class));
            if (exchange.getException() != null && m.get("errorCode") == null) {
                m.put("errorCode", exchange.getException().getClass().getSimpleName());
            }
        }
        return m;
    }

    @Override
    public void close() {
        try {
            template.stop();
        } catch (RuntimeException ignored) {
            // stopping with the context; nothing left to release
        }
    }
}
