package io.kinesisbridge.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * CORS as Kinesis answers it, so that the AWS SDK for JavaScript works from a web page: a request with an Origin
 * header gets {@code Access-Control-Allow-Origin: *}; a preflight (OPTIONS with Origin) is answered 200 with no body,
 * the requested method and headers echoed and {@code Access-Control-Max-Age: 172800}; every other answer exposes
 * the response headers the SDK reads. An OPTIONS without Origin stays what Kinesis makes of it: AccessDeniedException.
 * Kinesis checks no signature on a preflight, and neither does this.
 */
final class EndpointCors {

    static final String MAX_AGE_SECONDS = "172800";
    static final String EXPOSED_HEADERS = "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date";

    private EndpointCors() {
    }

    /**
     * Adds the CORS headers of a request with an Origin to its answer, and answers it when it is a preflight.
     *
     * @return whether the request was a preflight and has been answered
     */
    static boolean answered(HttpServerRequest request) {
        if (request.getHeader(HttpHeaders.ORIGIN) == null) {
            return false;
        }
        HttpServerResponse response = request.response().putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        if (request.method() != HttpMethod.OPTIONS) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
            return false;
        }
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
        response.putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS).setStatusCode(200).end();
        return true;
    }
}
