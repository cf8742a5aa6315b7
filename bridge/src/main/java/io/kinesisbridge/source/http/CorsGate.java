package io.kinesisbridge.source.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP source's CORS, the first handler of every request while bridge.http.cors.allowed-origins is set. A request
 * without an Origin header (curl, servers) passes untouched. A preflight from an allowed origin is answered here,
 * before the token check (browsers send preflights without Authorization); any other request from an allowed origin
 * goes on with Access-Control-Allow-Origin on its answer, whatever that answer is (401, 413 and 503 included, so
 * that the page can read them). A request from an origin not allowed is refused 403 before its body is read: simple
 * requests (sendBeacon, text/plain) need no preflight, so without this refusal any page could still write events.
 */
final class CorsGate implements Handler<RoutingContext> {

    static final String ALLOWED_METHOD = "POST";
    static final String ALLOWED_HEADERS = "Content-Type, Content-Encoding, Authorization";
    /** Response headers a page may read besides the safelisted ones (Content-Type, Content-Length, …). */
    static final String EXPOSED_HEADERS = "Retry-After, WWW-Authenticate";

    private static final Set<String> ALLOWED_HEADER_NAMES = Set.of("content-type", "content-encoding", "authorization");
    private static final String PREFLIGHT_VARY =
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

    private final CorsPolicy policy;
    private final AtomicLong refused = new AtomicLong();

    CorsGate(CorsPolicy policy) {
        if (!policy.enabled()) {
            throw new IllegalArgumentException("CORS is off");
        }
        this.policy = policy;
    }

    /** Requests refused because of their Origin or of what their preflight asked for. */
    long refused() {
        return refused.get();
    }

    @Override
    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            context.next();
            return;
        }
        boolean preflight = request.method() == HttpMethod.OPTIONS
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
        HttpServerResponse response = context.response();
        response.putHeader(HttpHeaders.VARY, preflight ? PREFLIGHT_VARY : "Origin");
        if (!policy.allows(origin)) {
            refuse(
                    context,
                    "OriginNotAllowed",
                    "Origin " + origin + " is not allowed to send here (bridge.http.cors.allowed-origins)");
            return;
        }
        if (preflight) {
            preflight(context, origin);
            return;
        }
        response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, policy.allowOriginValue(origin))
                .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        context.next();
    }

    private void preflight(RoutingContext context, String origin) {
        HttpServerRequest request = context.request();
        String method =
                request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD).trim();
        if (!method.equals(ALLOWED_METHOD)) {
            refuse(context, "MethodNotAllowed", "Only POST is taken here; the preflight asked for " + method);
            return;
        }
        String requested = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
        if (requested != null) {
            for (String header : requested.split(",")) {
                String name = header.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !ALLOWED_HEADER_NAMES.contains(name)) {
                    refuse(
                            context,
                            "HeaderNotAllowed",
                            "The request header " + header.trim() + " is not taken here; " + "allowed: "
                                    + ALLOWED_HEADERS);
                    return;
                }
            }
        }
        HttpServerResponse response = context.response()
                .setStatusCode(204)
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, policy.allowOriginValue(origin))
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHOD)
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, String.valueOf(policy.maxAgeSeconds()));
        // Chromium's Private Network Access: a public page's request to this loopback port asks for it
        if ("true".equalsIgnoreCase(request.getHeader("Access-Control-Request-Private-Network"))) {
            response.putHeader("Access-Control-Allow-Private-Network", "true");
        }
        discardBody(request);
        response.end();
    }

    private void refuse(RoutingContext context, String code, String message) {
        refused.incrementAndGet();
        discardBody(context.request());
        HttpServerResponse response = context.response();
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(403)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(HttpIngest.errorJson(code, message));
        }
    }

    /** Drops a body nobody reads, so that the answer goes out now and the connection takes the next request after. */
    private static void discardBody(HttpServerRequest request) {
        if (!request.isEnded()) {
            request.handler(ignored -> {}).endHandler(ignored -> {}).exceptionHandler(ignored -> {});
            request.resume();
        }
    }
}
