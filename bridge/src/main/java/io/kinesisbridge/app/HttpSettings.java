package io.kinesisbridge.app;

import io.kinesisbridge.net.AllowedOrigins;
import io.kinesisbridge.net.ListenAddress;
import io.kinesisbridge.source.http.BearerToken;
import io.kinesisbridge.source.http.CorsPolicy;
import io.kinesisbridge.source.http.HttpListenerSettings;
import io.kinesisbridge.source.http.HttpListenerSettings.KeyStoreFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code bridge.http.*} settings: the HTTP source's listener and what the route needs besides. The partition key
 * reaches the route as a placeholder only.
 */
record HttpSettings(boolean enabled, HttpListenerSettings listener, String path, String stream, int workerThreads) {

    static final List<Setting> SETTINGS = List.of(
            Setting.bool("bridge.http.enabled", "true", "Whether the HTTP source runs."),
            Setting.text(
                    "bridge.http.host",
                    "127.0.0.1",
                    "Address the HTTP source listens on; `0.0.0.0` for every interface."),
            Setting.port("bridge.http.port", "8080", "Port of the HTTP source."),
            Setting.custom(
                    "bridge.http.path", "/clickstream", "Path that takes POSTed events.", SettingChecks::urlPath),
            Setting.text("bridge.http.stream", "clickstream", "Stream the HTTP source puts to."),
            Setting.text(
                    "bridge.http.partition-key",
                    "json:/userId",
                    "Partition key of HTTP events, in the component's key syntax (`json:/POINTER`, `header:NAME`, `random`, …)."),
            Setting.integer(
                    "bridge.http.max-body-bytes",
                    "5242880",
                    1,
                    Integer.MAX_VALUE,
                    "Largest request body the HTTP source takes (after gzip decoding); larger bodies get 413."),
            Setting.text(
                    "bridge.http.token",
                    "",
                    "When set, requests need `Authorization: Bearer <token>`; others get 401."),
            Setting.text(
                    "bridge.http.tls.keystore",
                    "",
                    "Key store (PKCS12 or JKS) with the server's key and certificate: when set, the HTTP source serves HTTPS only (TLS 1.2 and 1.3). Empty: plain HTTP."),
            Setting.text(
                    "bridge.http.tls.keystore-password",
                    "",
                    "Password of the key store (and of its key); never logged."),
            Setting.oneOf(
                    "bridge.http.saturated-status",
                    "503",
                    List.of("503", "429"),
                    "Status when the bridge has bridge.max-in-flight-records records in flight: 503 (Service Unavailable) or 429 (Too Many Requests), both with Retry-After."),
            Setting.integer("bridge.http.retry-after-seconds", "1", 1, 3600, "The Retry-After of a saturated answer."),
            Setting.integer(
                    "bridge.http.worker-threads",
                    "64",
                    1,
                    4096,
                    "HTTP requests handled at once: each waits on a "
                            + "thread of its own until Kinesis answered for its events; more wait for a free thread."),
            Setting.integer(
                    "bridge.http.max-connections",
                    "512",
                    1,
                    1_000_000,
                    "Connections the HTTP source keeps open at once; one more is closed as soon as it is accepted (kinesis_bridge_listener_connections_refused_total)."),
            Setting.integer(
                    "bridge.http.idle-timeout-ms",
                    "60000",
                    1,
                    86_400_000,
                    "An HTTP connection on which no byte moved either way for this long is closed, also while its answer is being worked out (Kinesis retrying): keep it above the longest answer."),
            Setting.integer(
                    "bridge.http.request-timeout-ms",
                    "30000",
                    1,
                    86_400_000,
                    "Time a client has to send a whole request, headers and body, after connecting or after its previous answer; a connection that takes longer (slowloris) is closed. It is also how long an idle keep-alive connection stays open."),
            Setting.integer(
                    "bridge.http.max-body-bytes-in-flight",
                    "33554432",
                    1,
                    Long.MAX_VALUE,
                    "Request-body bytes the HTTP source holds at once over all connections; a body that would pass it is answered bridge.http.saturated-status with Retry-After."),
            Setting.custom(
                    "bridge.http.cors.allowed-origins",
                    "",
                    "Web origins (`scheme://host[:port]`, comma-separated; `loopback` for pages served from this machine) whose pages may send to the HTTP source from a browser (CORS), or `*` for every page; empty: CORS off. With it set, a request whose Origin is not allowed gets 403.",
                    AllowedOrigins::problem),
            Setting.integer(
                    "bridge.http.cors.max-age-seconds",
                    "600",
                    0,
                    86_400,
                    "How long a browser may reuse the answer to a preflight (Access-Control-Max-Age); Chromium uses at most 7200."));

    static HttpSettings of(BridgeSettings s) {
        String keyStore = s.text("bridge.http.tls.keystore");
        HttpListenerSettings listener = new HttpListenerSettings(
                new ListenAddress(s.text("bridge.http.host"), s.integer("bridge.http.port"), "bridge.http.port"),
                s.listenerLimits("bridge.http."),
                s.integer("bridge.http.max-body-bytes"),
                s.longValue("bridge.http.max-body-bytes-in-flight"),
                BearerToken.of(s.text("bridge.http.token")),
                keyStore.isBlank()
                        ? Optional.empty()
                        : Optional.of(new KeyStoreFile(Path.of(keyStore), s.text("bridge.http.tls.keystore-password"))),
                s.integer("bridge.http.saturated-status"),
                s.integer("bridge.http.retry-after-seconds"),
                CorsPolicy.of(
                        s.text("bridge.http.cors.allowed-origins"), s.integer("bridge.http.cors.max-age-seconds")));
        return new HttpSettings(
                s.bool("bridge.http.enabled"),
                listener,
                s.text("bridge.http.path"),
                s.text("bridge.http.stream"),
                s.integer("bridge.http.worker-threads"));
    }
}
