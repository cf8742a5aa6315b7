package io.kinesisbridge.server.operations;

import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.WireFormat;
import java.util.concurrent.CompletableFuture;

/**
 * One operation of the Kinesis-compatible endpoint: its request members as declared, and the answer to a request
 * that was read by that declaration and met its constraints.
 */
public abstract class Operation {

    final OperationContext context;
    private final RequestShape request;

    Operation(OperationContext context, RequestShape request) {
        this.context = context;
        this.request = request;
    }

    public final RequestShape request() {
        return request;
    }

    /**
     * Answers a request whose members met {@link #request()}'s constraints: what the stream and the values
     * against it give (ResourceNotFoundException, InvalidArgumentException, …), else the operation's result.
     * Errors may be thrown as {@link io.kinesisbridge.put.KinesisException}s.
     */
    public abstract CompletableFuture<Reply> answer(WireFormat format, RequestValues request);
}
