package io.kinesisbridge.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

/** How the console answers: bounded request bodies, and JSON, text and redirects with its security headers. */
final class ConsoleAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsoleAnswers() {}

    static void readBody(HttpServerRequest request, int max, Handler<Buffer> then) {
        Buffer body = Buffer.buffer();
        AtomicBoolean tooLarge = new AtomicBoolean();
        request.handler(chunk -> {
            if (tooLarge.get()) {
                return;
            }
            if (body.length() + chunk.length() > max) {
                tooLarge.set(true);
                text(request, 413, "the body is larger than " + max + " bytes\n");
                request.connection().close();
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!tooLarge.get()) {
                then.handle(body);
            }
        });
    }

    static HttpServerResponse secured(HttpServerResponse response, boolean page) {
        response.putHeader("Cache-Control", "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer");
        if (page) {
            response.putHeader(
                            "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
                    .putHeader("X-Frame-Options", "DENY");
        }
        return response;
    }

    static void json(HttpServerRequest request, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        HttpServerResponse response = request.response();
        if (response.closed() || response.ended()) {
            return;
        }
        secured(response, false)
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(bytes));
    }

    static void text(HttpServerRequest request, int status, String text) {
        HttpServerResponse response = request.response();
        if (response.closed() || response.ended()) {
            return;
        }
        secured(response, false)
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(text);
    }

    static void redirect(HttpServerRequest request, String location) {
        secured(request.response(), false)
                .setStatusCode(303)
                .putHeader(HttpHeaders.LOCATION, location)
                .end();
    }
}
