package io.kinesisbridge.server;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.error;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.server.operations.Operation;
import io.kinesisbridge.server.operations.Operations;
import io.kinesisbridge.server.operations.RequestValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kinesis API over the in-memory backend, independent of HTTP: takes a request's Content-Type, X-Amz-Target
 * and body, and gives the status, Content-Type and body Kinesis would answer with, in JSON 1.1 or CBOR 1.1.
 *
 * <p>Order of the checks, as Kinesis makes them: the target and encoding (here); the body's syntax; the signature's
 * structure when {@link SignatureCheck#STRUCTURE} asks for it ({@link RequestSignature}); the member types
 * (SerializationException) and the request's shape (ValidationException), both by the members each operation
 * declares ({@link io.kinesisbridge.server.operations.RequestShape}; the puts' shape by {@link
 * io.kinesisbridge.put.PutRecordValidator}); the stream (ResourceNotFoundException); the values against the stream
 * (InvalidArgumentException); then the operation ({@link Operations}). Reads go to the {@link InMemoryKinesis};
 * writes go to {@code writer}, which is the same backend or a decorator of it (faults, latency).
 */
public final class KinesisApi {

    public static final String SERVICE = "Kinesis_20131202";
    public static final List<String> OPERATIONS = Operations.NAMES;

    private static final Logger LOG = LoggerFactory.getLogger(KinesisApi.class);
    private static final String PLAIN_JSON = "application/json";
    private static final Set<String> OPERATION_SET = Set.copyOf(OPERATIONS);

    private final SignatureCheck signatures;
    private final Operations operations;
    private final EnumMap<WireFormat, LongAdder> requests = new EnumMap<>(WireFormat.class);

    /**
     * @param store      the streams: read and administered here (CREATING and DELETING times and the account shard
     *                   limit are its settings)
     * @param writer     where PutRecord and PutRecords go: {@code store} itself or a decorator around it
     * @param signatures whether requests must carry a signature of SigV4's structure
     */
    public KinesisApi(
            InMemoryKinesis store,
            KinesisBackend writer,
            Clock clock,
            ShardIterators iterators,
            SignatureCheck signatures) {
        this.signatures = signatures;
        this.operations = new Operations(store, writer, clock, iterators);
        for (WireFormat f : WireFormat.values()) {
            requests.put(f, new LongAdder());
        }
    }

    /** Requests answered so far in this encoding (whatever the answer). */
    public long requests(WireFormat format) {
        return requests.get(format).sum();
    }

    /** What Kinesis answers a request that is not a POST, by what it carries of a signature. */
    Reply notPost(RequestSignature signature) {
        return unsigned(signature) ? Replies.missingToken() : Replies.notPost();
    }

    private boolean unsigned(RequestSignature signature) {
        return signatures == SignatureCheck.STRUCTURE && !signature.present();
    }

    /** Answers one request that carries no signature; the future never fails (errors are answers too). */
    public CompletableFuture<Reply> handle(String contentTypeHeader, String targetHeader, byte[] body) {
        return handle(contentTypeHeader, targetHeader, body, RequestSignature.NONE);
    }

    /**
     * Answers one request; the future never fails (errors are answers too). With {@link SignatureCheck#STRUCTURE}
     * the signature is checked where AWS checks it: after the target and the body's syntax, before the members.
     */
    public CompletableFuture<Reply> handle(
            String contentTypeHeader, String targetHeader, byte[] body, RequestSignature signature) {
        String target = targetHeader == null ? "" : targetHeader;
        int dot = target.indexOf('.');
        String service = dot < 0 ? target : target.substring(0, dot);
        String operation = dot < 0 ? "" : target.substring(dot + 1);
        boolean known = service.equals(SERVICE) && OPERATION_SET.contains(operation);
        String contentType = contentTypeHeader == null ? "" : contentTypeHeader.split(";", 2)[0].trim();
        Optional<WireFormat> format = WireFormat.of(contentType);
        boolean plainJson = contentType.equalsIgnoreCase(PLAIN_JSON);

        if (format.isEmpty() && !plainJson && unsigned(signature)) {
            return done(Replies.missingToken());
        }
        if (body.length == 0) {
            WireFormat f = format.orElse(WireFormat.CBOR) == WireFormat.JSON ? WireFormat.JSON : WireFormat.CBOR;
            return done(error(
                    f, new KinesisError(known ? KinesisError.SERIALIZATION : KinesisError.UNKNOWN_OPERATION, "")));
        }
        if (format.isEmpty() && !plainJson) {
            if (service.isEmpty() || operation.isEmpty()) {
                return done(Replies.notPost());
            }
            return done(Replies.bare(404, "UnknownOperationException", "<UnknownOperationException/>\n"));
        }
        if (plainJson) {
            // what Kinesis answers a request that is not of its protocol but looks like JSON
            boolean object = isObject(WireFormat.JSON, body);
            String type = object ? "UnknownOperationException" : "SerializationException";
            return done(new Reply(
                    object ? 404 : 400,
                    Optional.of(PLAIN_JSON),
                    ("{\"Output\":{\"__type\":\"com.amazon.coral.service#" + type + "\"},\"Version\":\"1.0\"}")
                            .getBytes(StandardCharsets.UTF_8),
                    Optional.of(type)));
        }
        WireFormat f = format.get();
        requests.get(f).increment();
        if (!known) {
            return done(error(
                    f,
                    new KinesisError(
                            isObject(f, body) ? KinesisError.UNKNOWN_OPERATION : KinesisError.SERIALIZATION, "")));
        }
        Operation op = operations
                .find(operation)
                .orElseThrow(() -> new IllegalStateException("operation listed but not served: " + operation));
        try (JsonParser p = f.factory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return done(error(f, new KinesisError(KinesisError.SERIALIZATION, "")));
            }
            if (signatures == SignatureCheck.STRUCTURE) {
                Optional<KinesisError> unsigned = signature.problem();
                if (unsigned.isPresent()) {
                    // the body is read whole before the signature: broken syntax further on wins
                    return done(error(
                            f, isObject(f, body) ? unsigned.get() : new KinesisError(KinesisError.SERIALIZATION, "")));
                }
            }
            RequestValues request = op.request().read(p);
            Optional<KinesisError> invalid = op.request().validate(request);
            if (invalid.isPresent()) {
                return done(error(f, invalid.get()));
            }
            return op.answer(f, request).exceptionally(e -> failure(f, operation, e));
        } catch (KinesisException e) {
            return done(error(f, e.error()));
        } catch (IOException | NumberFormatException e) {
            // the body does not read as the protocol says: bad syntax, invalid UTF-8, a body in another encoding,
            // a number or a nesting past Jackson's limits, a number too large for its member
            return done(error(f, new KinesisError(KinesisError.SERIALIZATION, "")));
        } catch (RuntimeException e) {
            return done(failure(f, operation, e));
        }
    }

    private static boolean isObject(WireFormat f, byte[] body) {
        try (JsonParser p = f.factory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Reply failure(WireFormat f, String operation, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof KinesisException k) {
            return error(f, k.error());
        }
        if (cause instanceof IOException || cause instanceof NumberFormatException) {
            return error(f, new KinesisError(KinesisError.SERIALIZATION, ""));
        }
        LOG.warn("Kinesis endpoint: {} failed", operation, cause);
        return error(f, new KinesisError(KinesisError.INTERNAL_FAILURE, "Internal service failure."));
    }
}
