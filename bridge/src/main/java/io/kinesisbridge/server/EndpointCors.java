package io.kinesisbridge.server;

import io.kinesisbridge.net.AllowedOrigins;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * CORS as Kinesis answers it, so that the AWS SDK for JavaScript works from a web page: a request with an allowed
 * Origin gets {@code Access-Control-Allow-Origin: *}; a preflight (OPTIONS with Origin) is answered 200 with no body,
 * the requested method and headers echoed and {@code Access-Control-Max-Age: 172800}; every other answer exposes the
 * response headers the SDK reads. An OPTIONS without Origin stays what Kinesis makes of it: AccessDeniedException.
 *
 * <p>Kinesis serves every origin because every request is signed; this endpoint checks no signature, so a page
 * allowed here can read, write and delete every stream. Which pages are allowed is bridge.endpoint.cors.allowed-origins
 * (pages of this machine by default); a request from another origin gets 403 AccessDeniedException, before its body.
 */
final class EndpointCors {

    static final String MAX_AGE_SECONDS = "172800";
    static final String EXPOSED_HEADERS =
            "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date";
    private static final byte[] ORIGIN_REFUSED =
            ("<AccessDeniedException>\n  <Message>Pages of this origin may not call "
                            + "this endpoint (bridge.endpoint.cors.allowed-origins)</Message>\n</AccessDeniedException>\n")
                    .getBytes(StandardCharsets.UTF_8);

    private final AllowedOrigins origins;

    EndpointCors(AllowedOrigins origins) {
        this.origins = origins;
    }

    /** Whether this answers the request itself ({@link #answer}): a preflight, or a request from an origin not allowed. */
    boolean intercepts(HttpServerRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        return origins.enabled()
                && origin != null
                && (request.method() == HttpMethod.OPTIONS || !origins.allows(origin));
    }

    /** Answers an intercepted request: a preflight as Kinesis does, a refused origin with 403, its connection closed. */
    void answer(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        if (!origins.allows(request.getHeader(HttpHeaders.ORIGIN))) {
            // the body is not read: an HTTP/1.x connection is closed after the answer, as for the other refusals
            response.setStatusCode(403).putHeader("x-amzn-ErrorType", "AccessDeniedException");
            if (request.version() != HttpVersion.HTTP_2) {
                response.putHeader(HttpHeaders.CONNECTION, "close");
                response.end(Buffer.buffer(ORIGIN_REFUSED))
                        .onComplete(ignored -> request.connection().close());
            } else {
                response.end(Buffer.buffer(ORIGIN_REFUSED));
            }
            return;
        }
        response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        String headers = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
        if (headers != null) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, headers);
        }
        String method = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
        if (method != null) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, method);
        }
        // Kinesis's preflight answer has a request id but no x-amz-id-2 and no Content-Type
        response.headers().remove("x-amz-id-2").remove(HttpHeaders.CONTENT_TYPE);
        response.putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS)
                .setStatusCode(200)
                .end();
    }

    /** Puts the CORS headers of an allowed origin's request, which the endpoint serves, on its answer. */
    void addHeaders(HttpServerRequest request) {
        if (origins.enabled() && request.getHeader(HttpHeaders.ORIGIN) != null) {
            request.response()
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        }
    }
}
