package io.kinesisbridge.server;

import java.util.Optional;

/**
 * One HTTP answer of the endpoint: status, Content-Type (empty for the bare XML and 413 answers Kinesis gives
 * before it knows the encoding), body, and the error's {@code __type} when it is an error.
 */
public record Reply(int status, Optional<String> contentType, byte[] body, Optional<String> errorType) {

    public static Reply ok(WireFormat format, byte[] body) {
        return new Reply(200, Optional.of(format.contentType()), body, Optional.empty());
    }
}
