package io.kinesisbridge.source.http;

import io.kinesisbridge.net.AllowedOrigins;

/**
 * Which web pages may send to the HTTP source from a browser (bridge.http.cors.allowed-origins) and how long a
 * browser may reuse a preflight's answer (bridge.http.cors.max-age-seconds).
 *
 * @param origins       the allowed origins; none: CORS is off
 * @param maxAgeSeconds the Access-Control-Max-Age of a preflight's answer
 */
public record CorsPolicy(AllowedOrigins origins, int maxAgeSeconds) {

    /** No CORS: requests are served as they come, an Origin header changes nothing. */
    public static final CorsPolicy OFF = new CorsPolicy(AllowedOrigins.NONE, 0);

    public CorsPolicy {
        if (maxAgeSeconds < 0) {
            throw new IllegalArgumentException("maxAgeSeconds must not be negative");
        }
    }

    /**
     * The policy of a bridge.http.cors.allowed-origins value.
     *
     * @throws IllegalArgumentException naming the entry that is not an origin
     */
    public static CorsPolicy of(String allowedOrigins, int maxAgeSeconds) {
        AllowedOrigins origins = AllowedOrigins.parse(allowedOrigins, "bridge.http.cors.allowed-origins");
        return origins.enabled() ? new CorsPolicy(origins, maxAgeSeconds) : OFF;
    }

    public boolean enabled() {
        return origins.enabled();
    }

    /** Whether a request's Origin header names an allowed origin. */
    public boolean allows(String origin) {
        return origins.allows(origin);
    }

    /** The Access-Control-Allow-Origin of an answer to an allowed origin: {@code *} or the origin as sent. */
    String allowOriginValue(String origin) {
        return origins.any() ? "*" : origin.trim();
    }

    /** How the log names the allowed origins. */
    String describe() {
        if (origins.any()) {
            return "every origin";
        }
        String listed = String.join(", ", origins.origins());
        return origins.loopback()
                ? "pages of this machine (loopback)" + (listed.isEmpty() ? "" : ", " + listed)
                : listed;
    }
}
