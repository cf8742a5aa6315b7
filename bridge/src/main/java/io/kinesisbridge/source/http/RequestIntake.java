package io.kinesisbridge.source.http;

import io.kinesisbridge.net.BodyBudget;
import io.kinesisbridge.put.KinesisError;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP source route's body handler, the first step of each request: checks the bearer token from the headers
 * before a byte of the body is read (401), refuses a body announced or found larger than bridge.http.max-body-bytes
 * (413), or one that would take the body bytes held by all requests past bridge.http.max-body-bytes-in-flight
 * (bridge.http.saturated-status with Retry-After), and otherwise reads the body into one buffer. The body of a refused
 * request is read and dropped, so that the client gets its answer and the connection stays usable; the listener's
 * request timeout bounds how long that may take. A taken request whose connection closes before its answer is
 * reported as aborted.
 */
final class RequestIntake implements Handler<RoutingContext> {

    /** Why a request was refused before its body was taken: the {@code reason} tag of the refusals meter. */
    enum Refusal {
        UNAUTHORIZED,
        TOO_LARGE,
        SATURATED
    }

    private static final int MAX_FIRST_BUFFER = 64 * 1024;

    private final Optional<BearerToken> token;
    private final long maxBodyBytes;
    private final BodyBudget budget;
    private final int saturatedStatus;
    private final int retryAfterSeconds;
    private final Runnable aborted;
    private final Map<Refusal, AtomicLong> refusals = new EnumMap<>(Refusal.class);

    /** @param aborted told of each taken request whose connection closed before its answer was sent */
    RequestIntake(
            Optional<BearerToken> token,
            long maxBodyBytes,
            BodyBudget budget,
            int saturatedStatus,
            int retryAfterSeconds,
            Runnable aborted) {
        this.token = token;
        this.maxBodyBytes = maxBodyBytes;
        this.budget = budget;
        this.saturatedStatus = saturatedStatus;
        this.retryAfterSeconds = retryAfterSeconds;
        this.aborted = aborted;
        for (Refusal r : Refusal.values()) {
            refusals.put(r, new AtomicLong());
        }
    }

    long refusals(Refusal reason) {
        return refusals.get(reason).get();
    }

    @Override
    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (token.isPresent() && !token.get().admits(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            refuse(
                    context,
                    Refusal.UNAUTHORIZED,
                    401,
                    "Unauthorized",
                    "A bearer token is required: send Authorization: Bearer <token>");
            return;
        }
        long announced = contentLength(request);
        if (announced > maxBodyBytes) {
            tooLarge(context, announced);
        } else if (announced > 0 && !budget.fits(announced)) {
            saturated(context);
        } else {
            new Reading(context, announced).start();
        }
    }

    private static long contentLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void tooLarge(RoutingContext context, long announced) {
        refuse(
                context,
                Refusal.TOO_LARGE,
                413,
                "PayloadTooLarge",
                (announced > 0
                                ? "The body has " + announced + " bytes, more than " + maxBodyBytes
                                : "The body has more than " + maxBodyBytes + " bytes")
                        + " (bridge.http.max-body-bytes)");
    }

    private void saturated(RoutingContext context) {
        refuse(
                context,
                Refusal.SATURATED,
                saturatedStatus,
                KinesisError.BRIDGE_SATURATED,
                "The bridge holds "
                        + budget.limit()
                        + " bytes of request bodies (bridge.http.max-body-bytes-in-flight); retry after "
                        + retryAfterSeconds + " s");
    }

    private void refuse(RoutingContext context, Refusal reason, int status, String code, String message) {
        refusals.get(reason).incrementAndGet();
        HttpServerRequest request = context.request();
        if (!request.isEnded()) {
            // drop what is still coming: the answer goes out now, and the connection can take the next request after
            request.handler(ignored -> {}).endHandler(ignored -> {}).exceptionHandler(ignored -> {});
            request.resume();
        }
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        if (reason == Refusal.SATURATED) {
            response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        }
        response.end(HttpIngest.errorJson(code, message));
    }

    /** One request's body on its way in; its bytes count against the budget until the answer is sent. */
    private final class Reading {
        private final RoutingContext context;
        private final Buffer body;
        private long held;
        private boolean done;

        Reading(RoutingContext context, long announced) {
            this.context = context;
            // never sized from Content-Length alone beyond a small first buffer: a header costs the client nothing
            this.body = Buffer.buffer((int) Math.min(Math.max(announced, 256), MAX_FIRST_BUFFER));
        }

        void start() {
            HttpServerRequest request = context.request();
            // called once the answer is sent, or with a failure when the connection closed before: mid-body, or while
            // the route was still putting the events (they are in Kinesis, but the client does not know)
            context.addEndHandler(sent -> {
                release();
                if (sent.failed()) {
                    aborted.run();
                }
            });
            request.handler(this::chunk).endHandler(ignored -> end()).exceptionHandler(this::failed);
            if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
                context.response().writeContinue();
            }
            request.resume();
        }

        private void chunk(Buffer chunk) {
            if (done) {
                return;
            }
            if (body.length() + chunk.length() > maxBodyBytes) {
                stop();
                tooLarge(context, -1);
            } else if (!budget.take(chunk.length())) {
                stop();
                saturated(context);
            } else {
                held += chunk.length();
                body.appendBuffer(chunk);
            }
        }

        private void end() {
            if (!done) {
                done = true;
                context.setBody(body);
                context.next();
            }
        }

        private void failed(Throwable error) {
            if (!done) {
                stop();
                context.fail(error);
            }
        }

        private void stop() {
            done = true;
            release();
        }

        private void release() {
            budget.give(held);
            held = 0;
        }
    }
}
