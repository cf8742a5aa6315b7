package io.kinesisbridge.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The web origins whose pages a listener serves from a browser (its CORS setting): none (empty), a comma list of
 * origins and {@code loopback} (pages served from this machine: http or https on localhost, 127.0.0.0/8 or [::1],
 * any port), or every page ({@code *}). Origins are compared as browsers write them: scheme and host in lower case,
 * without the scheme's default port.
 *
 * @param origins  the listed origins, normalized
 * @param loopback whether pages of this machine are allowed
 * @param any      whether every origin is allowed
 */
public record AllowedOrigins(Set<String> origins, boolean loopback, boolean any) {

    public static final AllowedOrigins NONE = new AllowedOrigins(Set.of(), false, false);
    public static final AllowedOrigins LOOPBACK = new AllowedOrigins(Set.of(), true, false);
    public static final AllowedOrigins ANY = new AllowedOrigins(Set.of(), false, true);

    public AllowedOrigins {
        origins = Set.copyOf(origins);
    }

    /**
     * The origins of a setting's value.
     *
     * @throws IllegalArgumentException naming the setting and the entry that is not an origin
     */
    public static AllowedOrigins parse(String value, String setting) {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(setting + " " + problem);
        }
        Set<String> origins = new LinkedHashSet<>();
        boolean loopback = false;
        for (String entry : value.split(",")) {
            String e = entry.trim();
            if (e.equals("*")) {
                return ANY;
            } else if (e.equalsIgnoreCase("loopback")) {
                loopback = true;
            } else if (!e.isEmpty()) {
                origins.add(normalize(e).orElseThrow());
            }
        }
        return new AllowedOrigins(origins, loopback, false);
    }

    /** What is wrong with a setting's value, or null when it is fine (the setting's check). */
    public static String problem(String value) {
        int entries = 0;
        boolean star = false;
        for (String entry : value.split(",")) {
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
            } else if (!e.equalsIgnoreCase("loopback") && normalize(e).isEmpty()) {
                return "has `" + e + "`, which is not an origin: write scheme://host[:port], without a path or a "
                        + "trailing /, e.g. http://localhost:3000";
            }
        }
        return star && entries > 1 ? "is `*` (every origin) together with other entries: give one or the other" : null;
    }

    public boolean enabled() {
        return any || loopback || !origins.isEmpty();
    }

    /** Whether a request's Origin header names an allowed origin. */
    public boolean allows(String origin) {
        if (any) {
            return true;
        }
        Optional<String> normalized = normalize(origin.trim());
        return normalized.isPresent()
                && (origins.contains(normalized.get()) || loopback && isLoopback(normalized.get()));
    }

    /** {@code scheme://host[:port]} in lower case without the default port of http and https; empty when not an origin. */
    static Optional<String> normalize(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.getScheme() == null
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || origin.endsWith("?")
                || origin.endsWith("#")) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort =
                port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
    }

    private static boolean isLoopback(String normalizedOrigin) {
        URI uri = URI.create(normalizedOrigin);
        String host = uri.getHost();
        return (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                && (host.equals("localhost") || host.equals("[::1]") || host.matches("127(\\.\\d{1,3}){3}"));
    }
}
