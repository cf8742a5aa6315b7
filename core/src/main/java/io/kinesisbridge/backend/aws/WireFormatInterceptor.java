package io.kinesisbridge.backend.aws;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Puts one client on the wire form the bridge was configured with, CBOR or JSON, whatever the JVM says.
 *
 * <p>The SDK decides the wire form of a Kinesis client once, when the client is built, from the JVM-wide system
 * property {@code aws.cborEnabled} or the environment variable {@code CBOR_ENABLED} ({@code AwsCborProtocolFactory}
 * reads {@code SdkSystemSetting.CBOR_ENABLED}); it offers no per-client option. Setting the property would change
 * every Kinesis client the JVM builds afterwards, other applications' included. This interceptor leaves the SDK's
 * marshalling as it is and rewrites, for this client only, the marshalled request body (before signing, so the
 * signature covers what is sent) and the response body (before the SDK unmarshals it) between the two forms.
 * When the SDK's form already is the wanted one, it does nothing.
 */
final class WireFormatInterceptor implements ExecutionInterceptor {

    private static final ExecutionAttribute<byte[]> REWRITTEN_BODY =
            new ExecutionAttribute<>("kinesis-bridge.wire.body");
    private static final ExecutionAttribute<Boolean> SDK_SPEAKS_CBOR =
            new ExecutionAttribute<>("kinesis-bridge.wire.sdk-cbor");
    private static final ExecutionAttribute<Boolean> REWRITE_RESPONSE =
            new ExecutionAttribute<>("kinesis-bridge.wire.response");

    private final boolean cbor;

    WireFormatInterceptor(boolean cbor) {
        this.cbor = cbor;
    }

    boolean cbor() {
        return cbor;
    }

    /** Called first of the request hooks: rewrites the body once and keeps it for the others. */
    @Override
    public Optional<AsyncRequestBody> modifyAsyncHttpContent(
            Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = rewrittenBody(context, attributes);
        return body == null ? context.asyncRequestBody() : Optional.of(AsyncRequestBody.fromBytes(body));
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = rewrittenBody(context, attributes);
        return body == null ? context.requestBody() : Optional.of(RequestBody.fromBytes(body));
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = rewrittenBody(context, attributes);
        if (body == null) {
            return context.httpRequest();
        }
        return context.httpRequest().toBuilder()
                .putHeader("Content-Type", cbor ? WireTranscoder.CBOR_CONTENT_TYPE : WireTranscoder.JSON_CONTENT_TYPE)
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
    }

    private byte[] rewrittenBody(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] done = attributes.getAttribute(REWRITTEN_BODY);
        if (done != null) {
            return done;
        }
        String contentType =
                context.httpRequest().firstMatchingHeader("Content-Type").orElse(null);
        boolean sdkCbor = WireTranscoder.isCbor(contentType);
        if (sdkCbor == cbor
                || !(sdkCbor || WireTranscoder.isJson(contentType))
                || context.requestBody().isEmpty()) {
            return null;
        }
        byte[] original;
        try (InputStream in =
                context.requestBody().get().contentStreamProvider().newStream()) {
            original = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] rewritten = sdkCbor ? WireTranscoder.cborToJson(original) : WireTranscoder.jsonToCbor(original);
        attributes.putAttribute(REWRITTEN_BODY, rewritten);
        attributes.putAttribute(SDK_SPEAKS_CBOR, sdkCbor);
        return rewritten;
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Boolean sdkCbor = attributes.getAttribute(SDK_SPEAKS_CBOR);
        String contentType =
                context.httpResponse().firstMatchingHeader("Content-Type").orElse(null);
        // rewrite only what came in the wanted form; an error page of a proxy stays as it is
        if (sdkCbor == null || !(cbor ? WireTranscoder.isCbor(contentType) : WireTranscoder.isJson(contentType))) {
            return context.httpResponse();
        }
        attributes.putAttribute(REWRITE_RESPONSE, true);
        return context.httpResponse().toBuilder()
                .putHeader(
                        "Content-Type", sdkCbor ? WireTranscoder.CBOR_CONTENT_TYPE : WireTranscoder.JSON_CONTENT_TYPE)
                .removeHeader("Content-Length")
                .build();
    }

    @Override
    public Optional<Publisher<ByteBuffer>> modifyAsyncHttpResponseContent(
            Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!Boolean.TRUE.equals(attributes.getAttribute(REWRITE_RESPONSE))
                || context.responsePublisher().isEmpty()) {
            return context.responsePublisher();
        }
        boolean toCbor = attributes.getAttribute(SDK_SPEAKS_CBOR);
        return Optional.of(new RewritingPublisher(context.responsePublisher().get(), toCbor));
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(
            Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!Boolean.TRUE.equals(attributes.getAttribute(REWRITE_RESPONSE))
                || context.responseBody().isEmpty()) {
            return context.responseBody();
        }
        try (InputStream in = context.responseBody().get()) {
            return Optional.of(new ByteArrayInputStream(
                    rewriteResponse(in.readAllBytes(), attributes.getAttribute(SDK_SPEAKS_CBOR))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] rewriteResponse(byte[] body, boolean toCbor) {
        return toCbor ? WireTranscoder.jsonToCbor(body) : WireTranscoder.cborToJson(body);
    }

    /** Collects the whole response body (Kinesis answers are small), rewrites it, and hands it on as one buffer. */
    private static final class RewritingPublisher implements Publisher<ByteBuffer> {
        private final Publisher<ByteBuffer> upstream;
        private final boolean toCbor;

        RewritingPublisher(Publisher<ByteBuffer> upstream, boolean toCbor) {
            this.upstream = upstream;
            this.toCbor = toCbor;
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> downstream) {
            upstream.subscribe(new Collector(downstream, toCbor));
        }
    }

    private static final class Collector implements Subscriber<ByteBuffer>, Subscription {
        private final Subscriber<? super ByteBuffer> downstream;
        private final boolean toCbor;
        private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
        private Subscription upstream;
        private ByteBuffer ready;
        private Throwable failure;
        private boolean requested;
        private boolean finished;
        private boolean cancelled;

        Collector(Subscriber<? super ByteBuffer> downstream, boolean toCbor) {
            this.downstream = downstream;
            this.toCbor = toCbor;
        }

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            downstream.onSubscribe(this);
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            synchronized (this) {
                collected.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable t) {
            synchronized (this) {
                failure = t;
            }
            deliver();
        }

        @Override
        public void onComplete() {
            synchronized (this) {
                try {
                    ready = ByteBuffer.wrap(rewriteResponse(collected.toByteArray(), toCbor));
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            deliver();
        }

        @Override
        public void request(long n) {
            synchronized (this) {
                requested = true;
            }
            deliver();
        }

        @Override
        public void cancel() {
            synchronized (this) {
                cancelled = true;
            }
            upstream.cancel();
        }

        private void deliver() {
            ByteBuffer out;
            Throwable error;
            synchronized (this) {
                if (finished || cancelled || (ready == null && failure == null) || (failure == null && !requested)) {
                    return;
                }
                finished = true;
                out = ready;
                error = failure;
            }
            if (error != null) {
                downstream.onError(error);
            } else {
                if (out.hasRemaining()) {
                    downstream.onNext(out);
                }
                downstream.onComplete();
            }
        }
    }
}
