package io.kinesisbridge.server;

import io.vertx.core.http.HttpServerResponse;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ids Kinesis puts on every answer: {@code x-amzn-RequestId}, a random (version 4) UUID, and
 * {@code x-amz-id-2}, 72 random bytes in base64 (96 characters). Drawn from {@link ThreadLocalRandom}: these
 * name requests in logs, they guard nothing, and a SecureRandom per request would cost the hot path.
 */
public final class RequestIds {

    private static final int EXTENDED_ID_BYTES = 72;

    private RequestIds() {}

    /** Puts both ids on the response. */
    public static void stamp(HttpServerResponse response) {
        response.putHeader("x-amzn-RequestId", requestId());
        response.putHeader("x-amz-id-2", extendedId());
    }

    public static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L; // version 4
        long low = random.nextLong() & ~(0xC000_0000_0000_0000L) | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(high, low).toString();
    }

    public static String extendedId() {
        byte[] bytes = new byte[EXTENDED_ID_BYTES];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
