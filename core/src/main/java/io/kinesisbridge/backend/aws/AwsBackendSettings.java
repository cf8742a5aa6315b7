package io.kinesisbridge.backend.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How the {@code aws} backend reaches Kinesis.
 *
 * @param region             the region; empty for the SDK's region chain (AWS_REGION, profile, instance)
 * @param endpointOverride   another endpoint than the region's (a VPC endpoint, kinesalite, the bridge's own)
 * @param cbor               CBOR on the wire (the SDK's default for Kinesis); JSON when false, for this client only
 * @param credentials        where credentials come from
 * @param assumeRole         a role to assume with those credentials, if any
 * @param httpProtocol       HTTP/1.1 or HTTP/2; {@link HttpProtocol#AUTO} takes HTTP/1.1 for {@code http://} endpoints
 * @param maxConcurrency     connections (HTTP/1.1) or streams (HTTP/2) at once
 * @param connectTimeout     TCP and TLS connection set-up
 * @param readTimeout        the longest silence while reading an answer or writing a request
 * @param attemptTimeout     a whole request, from sending to the last byte of the answer
 * @param acquisitionTimeout how long a request waits for a free connection
 * @param stsEndpointOverride another STS endpoint than the region's, for assume-role and web identity
 */
public record AwsBackendSettings(
        Optional<String> region,
        Optional<URI> endpointOverride,
        boolean cbor,
        CredentialsSource credentials,
        Optional<AssumeRole> assumeRole,
        HttpProtocol httpProtocol,
        int maxConcurrency,
        Duration connectTimeout,
        Duration readTimeout,
        Duration attemptTimeout,
        Duration acquisitionTimeout,
        Optional<URI> stsEndpointOverride) {

    public enum HttpProtocol {
        AUTO,
        HTTP1_1,
        HTTP2
    }

    public AwsBackendSettings {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1");
        }
        endpointOverride.ifPresent(uri -> {
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("endpoint override must be an http:// or https:// URL, got " + uri);
            }
        });
        if (credentials instanceof CredentialsSource.WebIdentity && assumeRole.isPresent()) {
            throw new IllegalArgumentException("web identity credentials assume their role themselves");
        }
    }

    /** The default chain, CBOR on, the region's endpoint, 50 connections. */
    public static AwsBackendSettings defaults() {
        return new AwsBackendSettings(
                Optional.empty(),
                Optional.empty(),
                true,
                new CredentialsSource.DefaultChain(),
                Optional.empty(),
                HttpProtocol.AUTO,
                50,
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Optional.empty());
    }

    public AwsBackendSettings withEndpoint(URI endpoint) {
        return new AwsBackendSettings(
                region,
                Optional.of(endpoint),
                cbor,
                credentials,
                assumeRole,
                httpProtocol,
                maxConcurrency,
                connectTimeout,
                readTimeout,
                attemptTimeout,
                acquisitionTimeout,
                stsEndpointOverride);
    }

    public AwsBackendSettings withRegion(String r) {
        return new AwsBackendSettings(
                Optional.of(r),
                endpointOverride,
                cbor,
                credentials,
                assumeRole,
                httpProtocol,
                maxConcurrency,
                connectTimeout,
                readTimeout,
                attemptTimeout,
                acquisitionTimeout,
                stsEndpointOverride);
    }

    public AwsBackendSettings withCbor(boolean on) {
        return new AwsBackendSettings(
                region,
                endpointOverride,
                on,
                credentials,
                assumeRole,
                httpProtocol,
                maxConcurrency,
                connectTimeout,
                readTimeout,
                attemptTimeout,
                acquisitionTimeout,
                stsEndpointOverride);
    }

    public AwsBackendSettings withCredentials(CredentialsSource c) {
        return new AwsBackendSettings(
                region,
                endpointOverride,
                cbor,
                c,
                assumeRole,
                httpProtocol,
                maxConcurrency,
                connectTimeout,
                readTimeout,
                attemptTimeout,
                acquisitionTimeout,
                stsEndpointOverride);
    }

    public AwsBackendSettings withAssumeRole(Optional<AssumeRole> role) {
        return new AwsBackendSettings(
                region,
                endpointOverride,
                cbor,
                credentials,
                role,
                httpProtocol,
                maxConcurrency,
                connectTimeout,
                readTimeout,
                attemptTimeout,
                acquisitionTimeout,
                stsEndpointOverride);
    }

    public AwsBackendSettings withAttemptTimeout(Duration timeout) {
        return new AwsBackendSettings(
                region,
                endpointOverride,
                cbor,
                credentials,
                assumeRole,
                httpProtocol,
                maxConcurrency,
                connectTimeout,
                readTimeout,
                timeout,
                acquisitionTimeout,
                stsEndpointOverride);
    }

    public AwsBackendSettings withStsEndpoint(URI endpoint) {
        return new AwsBackendSettings(
                region,
                endpointOverride,
                cbor,
                credentials,
                assumeRole,
                httpProtocol,
                maxConcurrency,
                connectTimeout,
                readTimeout,
                attemptTimeout,
                acquisitionTimeout,
                Optional.of(endpoint));
    }

    /** Whether requests go over HTTP/2: asked for, or AUTO with an https endpoint (the SDK's choice for Kinesis). */
    boolean http2() {
        return switch (httpProtocol) {
            case HTTP2 -> true;
            case HTTP1_1 -> false;
            case AUTO ->
                endpointOverride.map(u -> u.getScheme().equals("https")).orElse(true);
        };
    }
}
