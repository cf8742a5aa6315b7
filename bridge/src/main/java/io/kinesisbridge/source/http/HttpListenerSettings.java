package io.kinesisbridge.source.http;

import io.kinesisbridge.net.ListenAddress;
import io.kinesisbridge.net.ListenerLimits;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The HTTP source's listener: where it binds, what each client may do, the token it requires and its TLS key.
 *
 * @param maxBodyBytes           largest body of one request
 * @param maxBodyBytesInFlight   body bytes held at once over all connections
 * @param saturatedStatus        the answer when those are taken: 503 or 429, with Retry-After
 * @param cors                   which web pages may send from a browser
 */
public record HttpListenerSettings(
        ListenAddress address,
        ListenerLimits limits,
        long maxBodyBytes,
        long maxBodyBytesInFlight,
        Optional<BearerToken> token,
        Optional<KeyStoreFile> tls,
        int saturatedStatus,
        int retryAfterSeconds,
        CorsPolicy cors) {

    public HttpListenerSettings {
        if (maxBodyBytes < 1 || maxBodyBytesInFlight < 1) {
            throw new IllegalArgumentException("body limits must be at least 1 byte");
        }
        if (saturatedStatus != 503 && saturatedStatus != 429) {
            throw new IllegalArgumentException("saturatedStatus must be 503 or 429");
        }
    }

    /** Settings without CORS. */
    public HttpListenerSettings(
            ListenAddress address,
            ListenerLimits limits,
            long maxBodyBytes,
            long maxBodyBytesInFlight,
            Optional<BearerToken> token,
            Optional<KeyStoreFile> tls,
            int saturatedStatus,
            int retryAfterSeconds) {
        this(
                address,
                limits,
                maxBodyBytes,
                maxBodyBytesInFlight,
                token,
                tls,
                saturatedStatus,
                retryAfterSeconds,
                CorsPolicy.OFF);
    }

    /** A key store holding the server's key and certificate; JKS when the file name ends in .jks, PKCS12 otherwise. */
    public record KeyStoreFile(Path path, String password) {

        public String type() {
            return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
        }

        @Override
        public String toString() {
            return "KeyStoreFile[" + path + ", password hidden]";
        }
    }
}
