package io.kinesisbridge.source.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which web pages may send to the HTTP source from a browser (bridge.http.cors.allowed-origins): none (CORS off, the
 * default), the listed origins, or any page ({@code *}); and how long a browser may reuse a preflight's answer.
 * Origins are compared as browsers write them: scheme and host in lower case, without the scheme's default port.
 *
 * @param origins       the allowed origins, normalized; empty when off or when any origin is allowed
 * @param anyOrigin     whether every origin is allowed ({@code *})
 * @param maxAgeSeconds the Access-Control-Max-Age of a preflight's answer
 */
public record CorsPolicy(Set<String> origins, boolean anyOrigin, int maxAgeSeconds) {

    /** No CORS: requests are served as they come, an Origin header changes nothing. */
    public static final CorsPolicy OFF = new CorsPolicy(Set.of(), false, 0);

    public CorsPolicy {
        origins = Set.copyOf(origins);
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
        String problem = problem(allowedOrigins);
        if (problem != null) {
            throw new IllegalArgumentException("bridge.http.cors.allowed-origins " + problem);
        }
        Set<String> origins = new LinkedHashSet<>();
        boolean any = false;
        for (String entry : allowedOrigins.split(",")) {
            String e = entry.trim();
            if (e.equals("*")) {
                any = true;
            } else if (!e.isEmpty()) {
                origins.add(normalize(e).orElseThrow());
            }
        }
        return any ? new CorsPolicy(Set.of(), true, maxAgeSeconds)
                : origins.isEmpty() ? OFF : new CorsPolicy(origins, false, maxAgeSeconds);
    }

    /** What is wrong with a bridge.http.cors.allowed-origins value, or null when it is fine (the setting's check). */
    public static String problem(String allowedOrigins) {
        int entries = 0;
        boolean star = false;
        for (String entry : allowedOrigins.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            entries++;
            if (e.equals("*")) {
                star = true;
            } else if (e.equalsIgnoreCase("null")) {
                return "may not allow the origin `null`: sandboxed frames and file: pages send it, so any page can; "
                        + "serve the page over http(s) and list that origin";
            } else if (normalize(e).isEmpty()) {
                return "has `" + e + "`, which is not an origin: write scheme://host[:port], without a path or a "
                        + "trailing /, e.g. http://localhost:3000";
            }
        }
        return star && entries > 1 ? "is `*` (every origin) together with a list: give one or the other" : null;
    }

    public boolean enabled() {
        return anyOrigin || !origins.isEmpty();
    }

    /** Whether a request's Origin header names an allowed origin. */
    public boolean allows(String origin) {
        return anyOrigin || normalize(origin.trim()).map(origins::contains).orElse(false);
    }

    /** The Access-Control-Allow-Origin of an answer to an allowed origin: {@code *} or the origin as sent. */
    String allowOriginValue(String origin) {
        return anyOrigin ? "*" : origin.trim();
    }

    /** {@code scheme://host[:port]} in lower case without the default port of http and https; empty when not an origin. */
    static Optional<String> normalize(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null || uri.getRawFragment() != null || origin.endsWith("?") || origin.endsWith("#")) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
    }
}
