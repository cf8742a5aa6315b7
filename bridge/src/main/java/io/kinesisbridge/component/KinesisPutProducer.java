package io.kinesisbridge.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.dispatch.StreamDispatcher;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Turns an exchange into records and hands them to the stream's dispatcher; completes the exchange when every
 * record is acknowledged or dead-lettered. Never blocks on the backend; blocks the calling thread only for
 * back-pressure (whenSaturated=BLOCK).
 */
final class KinesisPutProducer extends DefaultAsyncProducer {

    /** Built on first use (when a Map or Collection body is put): an ObjectMapper costs start-up time. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final KinesisPutEndpoint endpoint;
    private final KinesisPutConfiguration config;
    private StreamDispatcher defaultDispatcher;

    KinesisPutProducer(KinesisPutEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        defaultDispatcher = endpoint.getComponent().dispatcher(endpoint.getStreamName());
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            Message in = exchange.getMessage();
            String stream = in.getHeader(KinesisPutConstants.STREAM_NAME, String.class);
            StreamDispatcher dispatcher = stream == null || stream.equals(endpoint.getStreamName())
                    ? defaultDispatcher
                    : endpoint.getComponent().dispatcher(stream);
            List<?> items = config.isBatch() ? itemsOf(in.getBody()) : null;
            int count = items == null ? 1 : items.size();
            if (!endpoint.acquire(count)) {
                exchange.setException(endpoint.saturated());
                callback.done(true);
                return true;
            }
            return items == null
                    ? putOne(exchange, dispatcher, callback)
                    : putBatch(exchange, dispatcher, items, callback);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.setException(e);
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    private boolean putOne(Exchange exchange, StreamDispatcher dispatcher, AsyncCallback callback) {
        CompletableFuture<RecordResult> future =
                submit(exchange, exchange, exchange.getMessage().getBody(), dispatcher);
        // two parties finish the exchange: this thread and the future's; whoever comes second completes it
        AtomicInteger parties = new AtomicInteger(2);
        future.whenComplete((result, error) -> {
            if (parties.decrementAndGet() == 0) {
                completeOne(exchange, result);
                callback.done(false);
            }
        });
        if (parties.decrementAndGet() == 0) {
            completeOne(exchange, future.join());
            callback.done(true);
            return true;
        }
        return false;
    }

    private void completeOne(Exchange exchange, RecordResult result) {
        endpoint.release(1);
        Message out = exchange.getMessage();
        if (result instanceof RecordResult.Accepted accepted) {
            out.setHeader(KinesisPutConstants.SHARD_ID, accepted.shardId());
            out.setHeader(KinesisPutConstants.SEQUENCE_NUMBER, accepted.sequenceNumber());
            out.setHeader(KinesisPutConstants.ENCRYPTION_TYPE, accepted.encryptionType());
            out.removeHeaders("CamelKinesisPutError*");
            out.removeHeader(KinesisPutConstants.SPOOLED);
            out.setHeader(KinesisPutConstants.FAILED_RECORD_COUNT, 0);
        } else if (result instanceof RecordResult.Spooled) {
            // safe on disk: the source may let go of it, the spool sends it when Kinesis answers again
            out.removeHeader(KinesisPutConstants.SHARD_ID);
            out.removeHeader(KinesisPutConstants.SEQUENCE_NUMBER);
            out.removeHeader(KinesisPutConstants.ENCRYPTION_TYPE);
            out.removeHeaders("CamelKinesisPutError*");
            out.setHeader(KinesisPutConstants.SPOOLED, true);
            out.setHeader(KinesisPutConstants.FAILED_RECORD_COUNT, 0);
        } else {
            KinesisError error = ((RecordResult.Failed) result).error();
            out.removeHeader(KinesisPutConstants.SHARD_ID);
            out.removeHeader(KinesisPutConstants.SEQUENCE_NUMBER);
            out.removeHeader(KinesisPutConstants.ENCRYPTION_TYPE);
            out.setHeader(KinesisPutConstants.ERROR_CODE, error.code());
            out.setHeader(KinesisPutConstants.ERROR_MESSAGE, error.message());
            out.setHeader(KinesisPutConstants.FAILED_RECORD_COUNT, 1);
            if (isRefused(error)) {
                // not taken (the stream's pending bytes are at their limit) and not dead-lettered: the source retries
                exchange.setException(KinesisException.of(
                        error,
                        endpoint.getStreamName(),
                        out.getHeader(KinesisPutConstants.PARTITION_KEY, String.class)));
            } else if (config.isFailOnRejection()) {
                exchange.setException(KinesisException.of(
                        withoutDetails(error),
                        endpoint.getStreamName(),
                        out.getHeader(KinesisPutConstants.PARTITION_KEY, String.class)));
            }
        }
    }

    /**
     * The rejection an exception carries: its code, not its message, which may quote the record's key or data
     * (AWS's validation messages do, and so do Jackson's) while exceptions end up in logs. The full message is in
     * the dead letter and in the header CamelKinesisPutErrorMessage.
     */
    private KinesisError withoutDetails(KinesisError error) {
        return new KinesisError(
                error.code(),
                "A record of stream " + endpoint.getStreamName() + " was rejected ("
                        + error.code() + ") and written to the dead-letter output with its reason (also in the header "
                        + KinesisPutConstants.ERROR_MESSAGE + ").");
    }

    private static boolean isRefused(KinesisError error) {
        return KinesisError.BRIDGE_SATURATED.equals(error.code());
    }

    private boolean putBatch(Exchange exchange, StreamDispatcher dispatcher, List<?> items, AsyncCallback callback) {
        int n = items.size();
        RecordResult[] results = new RecordResult[n];
        AtomicInteger parties = new AtomicInteger(n + 1);
        boolean perItemBody = endpoint.partitionKeySource()
                        .map(KeySource::readsBody)
                        .orElse(false)
                || endpoint.explicitHashKeySource().map(KeySource::readsBody).orElse(false);
        Exchange scratch = perItemBody ? exchange.copy() : exchange;
        for (int i = 0; i < n; i++) {
            Object item = items.get(i);
            if (perItemBody) {
                scratch.getMessage().setBody(item);
            }
            int index = i;
            submit(exchange, scratch, item, dispatcher).whenComplete((result, error) -> {
                results[index] = result;
                if (parties.decrementAndGet() == 0) {
                    completeBatch(exchange, results);
                    callback.done(false);
                }
            });
        }
        if (parties.decrementAndGet() == 0) {
            completeBatch(exchange, results);
            callback.done(true);
            return true;
        }
        return false;
    }

    private void completeBatch(Exchange exchange, RecordResult[] results) {
        endpoint.release(results.length);
        int failed = 0;
        int refused = 0;
        KinesisError refusal = null;
        for (RecordResult r : results) {
            if (r instanceof RecordResult.Failed f) {
                failed++;
                if (isRefused(f.error())) {
                    refused++;
                    refusal = f.error();
                }
            }
        }
        // refused records were neither sent nor dead-lettered: a waiting source (BLOCK) must take the exchange
        // back; a rejecting one (HTTP) answers per record, like PutRecords, unless nothing was taken at all
        if (refusal != null && (refused == results.length || config.getWhenSaturated() == WhenSaturated.BLOCK)) {
            exchange.setException(KinesisException.of(refusal, endpoint.getStreamName(), null));
        }
        Message out = exchange.getMessage();
        out.setHeader(KinesisPutConstants.RESULTS, Arrays.asList(results));
        out.setHeader(KinesisPutConstants.FAILED_RECORD_COUNT, failed);
    }

    /**
     * Builds one record's request from {@code body} and submits it. Headers are read from {@code exchange};
     * expressions are evaluated on {@code evaluation}, whose body is this record.
     */
    private CompletableFuture<RecordResult> submit(
            Exchange exchange, Exchange evaluation, Object body, StreamDispatcher dispatcher) {
        Message in = exchange.getMessage();
        String stream = dispatcher.streamName();
        byte[] data;
        try {
            data = bytesOf(exchange, body);
        } catch (Exception e) {
            byte[] shown = String.valueOf(body).getBytes(StandardCharsets.UTF_8);
            return dispatcher.reject(
                    PutRequest.of(stream, null, shown),
                    new KinesisError(
                            KinesisError.UNSUPPORTED_BODY,
                            "The body ("
                                    + (body == null ? "null" : body.getClass().getName()) + ") cannot be turned into "
                                    + "record data: " + e.getMessage()));
        }
        String hashKey = in.getHeader(KinesisPutConstants.EXPLICIT_HASH_KEY, String.class);
        String sequence = in.getHeader(KinesisPutConstants.SEQUENCE_NUMBER_FOR_ORDERING, String.class);
        try {
            if (hashKey == null && endpoint.explicitHashKeySource().isPresent()) {
                hashKey = endpoint.explicitHashKeySource()
                        .get()
                        .extract(evaluation, data)
                        .orElse(null);
            }
        } catch (RuntimeException e) {
            return dispatcher.reject(
                    new PutRequest(stream, null, data, null, sequence),
                    new KinesisError(
                            KinesisError.MISSING_EXPLICIT_HASH_KEY,
                            "No ExplicitHashKey for a record of stream "
                                    + stream + ": "
                                    + endpoint.explicitHashKeySource().get().describe() + " could not be read: "
                                    + e.getMessage()));
        }
        String key = in.getHeader(KinesisPutConstants.PARTITION_KEY, String.class);
        if (key == null) {
            Optional<KeySource> source = endpoint.partitionKeySource();
            String problem;
            if (source.isEmpty()) {
                problem = "no partitionKey option is set and the header " + KinesisPutConstants.PARTITION_KEY
                        + " is absent";
            } else {
                try {
                    key = source.get().extract(evaluation, data).orElse(null);
                    problem = source.get().describe() + " has no value";
                } catch (RuntimeException e) {
                    problem = source.get().describe() + " could not be read: " + e.getMessage();
                }
            }
            if (key == null && endpoint.partitionKeyFallback().isPresent()) {
                key = endpoint.partitionKeyFallback()
                        .get()
                        .extract(evaluation, data)
                        .orElse(null);
            }
            if (key == null) {
                return dispatcher.reject(
                        new PutRequest(stream, null, data, hashKey, sequence),
                        new KinesisError(
                                KinesisError.MISSING_PARTITION_KEY,
                                "No partition key for a record of stream " + stream + ": " + problem));
            }
        }
        return dispatcher.submit(
                new PutRequest(stream, key, data, hashKey, sequence), config.getOrdering(), endpoint.admissionWait());
    }

    private static byte[] bytesOf(Exchange exchange, Object body)
            throws NoTypeConversionAvailableException, JsonProcessingException {
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (body instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        if (body instanceof Map<?, ?> || body instanceof Collection<?>) {
            return Json.MAPPER.writeValueAsBytes(body);
        }
        if (body == null) {
            throw new IllegalArgumentException("the body is null");
        }
        return exchange.getContext().getTypeConverter().mandatoryConvertTo(byte[].class, exchange, body);
    }

    private static List<?> itemsOf(Object body) {
        if (body instanceof List<?> list) {
            return list;
        }
        if (body instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (body instanceof Object[] array) {
            return Arrays.asList(array);
        }
        if (body instanceof Iterable<?> iterable) {
            List<Object> items = new ArrayList<>();
            iterable.forEach(items::add);
            return items;
        }
        if (body instanceof Iterator<?> iterator) {
            List<Object> items = new ArrayList<>();
            iterator.forEachRemaining(items::add);
            return items;
        }
        return body == null ? List.of() : List.of(body);
    }
}
