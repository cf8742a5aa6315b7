package io.kinesisbridge.server;

import io.kinesisbridge.put.KinesisError;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a request carries of an AWS signature: its {@code Authorization} header, whether it is dated
 * ({@code X-Amz-Date} or {@code Date}), and the {@code X-Amz-*} parameters of a presigned query. {@link #problem()}
 * gives AWS's answer to a signature of the wrong structure, with AWS's texts (as kinesalite recorded them).
 */
public record RequestSignature(String authorization, boolean dated, Map<String, String> query) {

    static final String MISSING_TOKEN = "MissingAuthenticationTokenException";
    static final String INCOMPLETE_SIGNATURE = "IncompleteSignatureException";
    static final String INVALID_SIGNATURE = "InvalidSignatureException";
    private static final String ALGORITHM = "X-Amz-Algorithm";
    private static final List<String> HEADER_PARTS = List.of("Credential", "Signature", "SignedHeaders");
    private static final List<String> QUERY_PARTS =
            List.of(ALGORITHM, "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date");

    /** A request that carries nothing of a signature. */
    public static final RequestSignature NONE = new RequestSignature(null, false, Map.of());

    public RequestSignature {
        query = Map.copyOf(query);
    }

    public static RequestSignature of(HttpServerRequest request) {
        String rawQuery = request.query();
        return new RequestSignature(
                request.getHeader("Authorization"),
                request.getHeader("X-Amz-Date") != null || request.getHeader("Date") != null,
                rawQuery == null || !rawQuery.contains("X-Amz-") ? Map.of() : amzParameters(rawQuery));
    }

    /** Whether the request claims a signature at all: a non-empty Authorization header or a presigned query. */
    public boolean present() {
        return hasAuthorization() || query.containsKey(ALGORITHM);
    }

    /** AWS's error for a signature of the wrong structure; empty when its structure is whole. */
    public Optional<KinesisError> problem() {
        boolean presigned = query.containsKey(ALGORITHM);
        if (hasAuthorization() && presigned) {
            return Optional.of(new KinesisError(
                    INVALID_SIGNATURE,
                    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."));
        }
        if (!present()) {
            return Optional.of(new KinesisError(MISSING_TOKEN, "Missing Authentication Token"));
        }
        StringBuilder missing = new StringBuilder();
        if (hasAuthorization()) {
            Map<String, String> parts = headerParts(authorization);
            for (String part : HEADER_PARTS) {
                if (parts.getOrDefault(part, "").isEmpty()) {
                    missing.append("Authorization header requires '")
                            .append(part)
                            .append("' parameter. ");
                }
            }
            if (!dated) {
                missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
            }
            if (!missing.isEmpty()) {
                missing.append("Authorization=").append(authorization);
            }
        } else {
            for (String part : QUERY_PARTS) {
                if (query.getOrDefault(part, "").isEmpty()) {
                    missing.append("AWS query-string parameters must include '")
                            .append(part)
                            .append("'. ");
                }
            }
            if (!missing.isEmpty()) {
                missing.append("Re-examine the query-string parameters.");
            }
        }
        return missing.isEmpty()
                ? Optional.empty()
                : Optional.of(new KinesisError(INCOMPLETE_SIGNATURE, missing.toString()));
    }

    private boolean hasAuthorization() {
        return authorization != null && !authorization.isEmpty();
    }

    /** The {@code name=value} parts after the algorithm, split at commas and spaces as AWS splits them. */
    private static Map<String, String> headerParts(String header) {
        Map<String, String> parts = new HashMap<>();
        String[] tokens = header.split("[, ]");
        for (int i = 1; i < tokens.length; i++) {
            String token = tokens[i].trim();
            if (token.isEmpty()) {
                continue;
            }
            String[] nameValue = token.split("=", -1);
            parts.put(nameValue[0], nameValue.length > 1 ? nameValue[1] : "");
        }
        return parts;
    }

    private static Map<String, String> amzParameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (name.startsWith("X-Amz-")) {
                parameters.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return parameters;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a broken escape: taken as written
        }
    }
}
