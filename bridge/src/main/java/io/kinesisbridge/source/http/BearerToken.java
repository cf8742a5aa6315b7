package io.kinesisbridge.source.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** The bearer token the HTTP source requires, compared in constant time; its text never leaves this class. */
public final class BearerToken {

    private static final String PREFIX = "Bearer ";

    private final byte[] token;

    private BearerToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** The token of bridge.http.token, or empty when it is blank (no token required). */
    public static Optional<BearerToken> of(String configured) {
        return configured == null || configured.isBlank()
                ? Optional.empty()
                : Optional.of(new BearerToken(configured.trim()));
    }

    /** Whether an Authorization header value ({@code Bearer <token>}, scheme in any case) carries the token. */
    public boolean admits(String authorization) {
        return authorization != null
                && authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                && MessageDigest.isEqual(
                        token, authorization.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "BearerToken[hidden]";
    }
}
