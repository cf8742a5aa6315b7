package io.kinesisbridge.app;

import io.kinesisbridge.backend.fault.FaultSettings;
import io.kinesisbridge.net.AllowedOrigins;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The bridge's configuration: every {@code bridge.*} key it knows, with defaults, read from the properties file,
 * then the environment ({@code bridge.http.port} ← {@code BRIDGE_HTTP_PORT}), then command-line flags
 * ({@code --bridge.http.port=9090}); later sources win. Keys starting with {@code camel.} go to Camel as they are.
 * An unknown key or a malformed value stops the start with a message naming the key.
 */
public final class BridgeSettings {

    /** Every setting the bridge knows, in the order README.md lists them. */
    public static final List<Setting> KNOWN = List.of(
            Setting.oneOf("bridge.backend", "memory", List.of("memory", "aws"),
                    "Where records go: `memory` (the in-memory shard backend, offline) or `aws` (Kinesis)."),
            Setting.custom("bridge.streams", "clickstream:4,logs:2,telemetry:4",
                    "Streams the in-memory backend creates at start: `name:shards` or `name:shards:maxRecordSizeKiB` (1024-10240), comma-separated.",
                    BridgeSettings::checkStreams),
            Setting.oneOf("bridge.ordering", "key", List.of("none", "key", "chain"),
                    "Ordering of the shipped routes: `none`, `key` (per-key order) or `chain` (per-key order plus SequenceNumberForOrdering)."),
            Setting.integer("bridge.max-in-flight-records", "10000", 1, 10_000_000,
                    "Records each route may have in flight before it waits (files, syslog, MQTT) or answers bridge.http.saturated-status (HTTP)."),
            Setting.text("bridge.dead-letter.dir", "data/dead-letter",
                    "Directory of the dead-letter files, one `<stream>.ndjson` per stream."),
            Setting.integer("bridge.dead-letter.max-file-bytes", "104857600", 1024, Long.MAX_VALUE,
                    "Size at which a dead-letter file is rotated to `.1`, `.2`, …"),
            Setting.integer("bridge.dead-letter.max-files", "10", 1, 1000,
                    "Files kept per stream, the current one included; the oldest rotation is deleted past it."),

            Setting.bool("bridge.http.enabled", "true", "Whether the HTTP source runs."),
            Setting.text("bridge.http.host", "127.0.0.1", "Address the HTTP source listens on; `0.0.0.0` for every interface."),
            Setting.port("bridge.http.port", "8080", "Port of the HTTP source."),
            Setting.custom("bridge.http.path", "/clickstream", "Path that takes POSTed events.",
                    v -> v.startsWith("/") ? null : "must start with /"),
            Setting.text("bridge.http.stream", "clickstream", "Stream the HTTP source puts to."),
            Setting.text("bridge.http.partition-key", "json:/userId",
                    "Partition key of HTTP events, in the component's key syntax (`json:/POINTER`, `header:NAME`, `random`, …)."),
            Setting.integer("bridge.http.max-body-bytes", "5242880", 1, Integer.MAX_VALUE,
                    "Largest request body the HTTP source takes (after gzip decoding); larger bodies get 413."),
            Setting.text("bridge.http.token", "",
                    "When set, requests need `Authorization: Bearer <token>`; others get 401."),
            Setting.text("bridge.http.tls.keystore", "",
                    "Key store (PKCS12 or JKS) with the server's key and certificate: when set, the HTTP source serves HTTPS only (TLS 1.2 and 1.3). Empty: plain HTTP."),
            Setting.text("bridge.http.tls.keystore-password", "", "Password of the key store (and of its key); never logged."),
            Setting.oneOf("bridge.http.saturated-status", "503", List.of("503", "429"),
                    "Status when the bridge has bridge.max-in-flight-records records in flight: 503 (Service Unavailable) or 429 (Too Many Requests), both with Retry-After."),
            Setting.integer("bridge.http.retry-after-seconds", "1", 1, 3600, "The Retry-After of a saturated answer."),
            Setting.integer("bridge.http.worker-threads", "64", 1, 4096, "HTTP requests handled at once: each waits on a "
                    + "thread of its own until Kinesis answered for its events; more wait for a free thread."),
            Setting.integer("bridge.http.max-connections", "512", 1, 1_000_000,
                    "Connections the HTTP source keeps open at once; one more is closed as soon as it is accepted (kinesis_bridge_listener_connections_refused_total)."),
            Setting.integer("bridge.http.idle-timeout-ms", "60000", 1, 86_400_000,
                    "An HTTP connection on which no byte moved either way for this long is closed, also while its answer is being worked out (Kinesis retrying): keep it above the longest answer."),
            Setting.integer("bridge.http.request-timeout-ms", "30000", 1, 86_400_000,
                    "Time a client has to send a whole request, headers and body, after connecting or after its previous answer; a connection that takes longer (slowloris) is closed. It is also how long an idle keep-alive connection stays open."),
            Setting.integer("bridge.http.max-body-bytes-in-flight", "33554432", 1, Long.MAX_VALUE,
                    "Request-body bytes the HTTP source holds at once over all connections; a body that would pass it is answered bridge.http.saturated-status with Retry-After."),
            Setting.custom("bridge.http.cors.allowed-origins", "",
                    "Web origins (`scheme://host[:port]`, comma-separated; `loopback` for pages served from this machine) whose pages may send to the HTTP source from a browser (CORS), or `*` for every page; empty: CORS off. With it set, a request whose Origin is not allowed gets 403.",
                    AllowedOrigins::problem),
            Setting.integer("bridge.http.cors.max-age-seconds", "600", 0, 86_400,
                    "How long a browser may reuse the answer to a preflight (Access-Control-Max-Age); Chromium uses at most 7200."),

            Setting.bool("bridge.file.enabled", "true", "Whether the file sources run: the inbox and, when bridge.file.paths is set, the tailer."),
            Setting.text("bridge.file.inbox", "data/inbox",
                    "Directory whose new files are read line by line; a file is moved to `.done/` once every line is acknowledged or dead-lettered."),
            Setting.text("bridge.file.stream", "logs", "Stream the file sources (inbox and tail) put to."),
            Setting.text("bridge.file.partition-key", "random",
                    "Partition key of file records, in the component's key syntax; `header:CamelFileName` keys by the file's path."),
            Setting.text("bridge.file.paths", "",
                    "Files to tail: globs separated by commas (`/var/log/app/*.log,/srv/**/out.log`). Empty: no tailing."),
            Setting.oneOf("bridge.file.start-at", "end", List.of("beginning", "end"),
                    "Where tailing starts in files that exist at the very first run (no checkpoint file yet); files that appear later, and every file after a restart, are read from their start or their checkpoint."),
            Setting.oneOf("bridge.file.format", "lines", List.of("lines", "ndjson", "csv"),
                    "What a tailed line becomes: `lines` (the line as it is), `ndjson` (a JSON value, checked), `csv` (a JSON object keyed by the columns). A line that does not parse becomes `{\"unparsed\": true, \"error\": …, \"raw\": …}`."),
            Setting.text("bridge.file.csv.columns", "",
                    "CSV column names, comma-separated; empty: each file's first line names them (and is not sent)."),
            Setting.custom("bridge.file.multiline.start", "",
                    "A regular expression a record's first line matches (e.g. `^\\d{4}-\\d\\d-\\d\\d` for stack traces): other lines are joined to the record before them with a newline. Empty: one line, one record.",
                    BridgeSettings::checkRegex),
            Setting.integer("bridge.file.multiline.flush-ms", "1000", 0, 3_600_000,
                    "How long a file must stay unchanged before its last multi-line record is sent."),
            Setting.text("bridge.file.checkpoint-file", "data/file-tail-checkpoints.json",
                    "Where the tailer keeps each file's identity (inode), fingerprint and acknowledged offset."),
            Setting.integer("bridge.file.poll-ms", "250", 10, 60_000, "How often the tailer looks for new lines and files."),
            Setting.integer("bridge.file.rotate-wait-ms", "2000", 0, 3_600_000,
                    "How long a file renamed away or deleted is still read for late writes before it is finished."),
            Setting.integer("bridge.file.max-record-bytes", "1048576", 16, 10_485_760,
                    "A line (tailed, or of an inbox file) longer than this is not sent: it is dead-lettered once (error code `LineTooLong`) with its length and its first 1024 bytes. Data and partition key together must also fit the stream's maximum record size."),
            Setting.bool("bridge.file.allow-links", "false",
                    "Whether the file sources read through symbolic links (inbox and tail) and read inbox files that have more than one hard link. False: such an inbox file is moved to `.failed/` unread, with a warning; a tailed link is skipped with a warning."),

            Setting.bool("bridge.syslog.enabled", "true", "Whether the syslog source (UDP and TCP on one port) runs."),
            Setting.text("bridge.syslog.host", "127.0.0.1", "Address the syslog source listens on; `0.0.0.0` for every interface."),
            Setting.port("bridge.syslog.port", "5514", "Port of the syslog source, for UDP and TCP alike."),
            Setting.text("bridge.syslog.stream", "logs", "Stream the syslog source puts to."),
            Setting.text("bridge.syslog.partition-key", "json:/host",
                    "Partition key of syslog records, in the component's key syntax; the default is the message's host (the sender's address when the message names none)."),
            Setting.integer("bridge.syslog.max-message-bytes", "65536", 480, 1_000_000,
                    "Largest syslog message kept whole; a longer one is cut to it and its record marked `\"truncated\": true`."),

            Setting.integer("bridge.syslog.max-connections", "256", 1, 1_000_000,
                    "Syslog TCP connections open at once; one more is closed as soon as it is accepted (counted in kinesis_bridge_listener_connections_refused_total)."),
            Setting.integer("bridge.syslog.idle-timeout-ms", "600000", 1, 86_400_000,
                    "A syslog TCP connection that sent nothing for this long is closed (senders such as rsyslog reconnect when they next have a message)."),
            Setting.integer("bridge.syslog.udp-receive-buffer-bytes", "4194304", 1024, Integer.MAX_VALUE,
                    "Receive buffer (SO_RCVBUF) asked for the syslog UDP socket: datagrams arriving while it is full are dropped by the kernel and counted in kinesis_bridge_syslog_udp_drops_total. Linux caps the request at net.core.rmem_max (then doubles it); use TCP for bursts."),

            Setting.bool("bridge.mqtt.enabled", "false",
                    "Whether the MQTT source runs (off by default: it needs a broker). While the broker at bridge.mqtt.broker-url is away it keeps trying in the background (one warning, then quiet) and readiness says so; the rest of the bridge runs as usual."),
            Setting.text("bridge.mqtt.broker-url", "tcp://127.0.0.1:1883", "The broker: `tcp://HOST:PORT` or `ssl://HOST:PORT`."),
            Setting.custom("bridge.mqtt.topics", "telemetry/+/#",
                    "Topic filters, comma-separated: wildcards `+` and `#`, shared subscriptions `$share/GROUP/FILTER` (several bridges with one group split the load).",
                    BridgeSettings::checkTopicFilters),
            Setting.oneOf("bridge.mqtt.version", "5", List.of("5", "3.1.1"), "MQTT protocol version."),
            Setting.oneOf("bridge.mqtt.qos", "1", List.of("0", "1", "2"),
                    "QoS of the subscriptions: 1 acknowledges each message only once Kinesis has its record; 0 has no acknowledgement; with 2 the client acknowledges receipt (PUBREC) on arrival."),
            Setting.text("bridge.mqtt.client-id", "kinesis-bridge",
                    "Client id; the broker keeps the session (with unacknowledged messages) under it across reconnects and restarts. Give each bridge its own."),
            Setting.text("bridge.mqtt.username", "", "User name for the broker; empty for none."),
            Setting.text("bridge.mqtt.password", "", "Password for the broker."),
            Setting.text("bridge.mqtt.tls.truststore", "",
                    "Trust store (PKCS12 or JKS) with the CA of an `ssl://` broker; empty: the JVM's trusted CAs."),
            Setting.text("bridge.mqtt.tls.truststore-password", "", "Password of the trust store."),
            Setting.text("bridge.mqtt.tls.keystore", "", "Key store (PKCS12 or JKS) with a client certificate, for brokers that ask for one."),
            Setting.text("bridge.mqtt.tls.keystore-password", "", "Password of the key store."),
            Setting.text("bridge.mqtt.stream", "telemetry", "Stream the MQTT source puts to."),
            Setting.text("bridge.mqtt.partition-key", "topic:1",
                    "Partition key of MQTT records: `topic:N` (segment N of the topic from 0; default the device id of `telemetry/<device>/…`), `json:/field` (a payload field), `header:CamelMqttTopic` (the whole topic), or any key syntax of the component."),
            Setting.integer("bridge.mqtt.receive-maximum", "1000", 1, 65_535,
                    "Messages the broker may send before acknowledgements come back."),
            Setting.integer("bridge.mqtt.reconnect-max-delay-ms", "30000", 100, 3_600_000,
                    "Longest pause between two connection attempts (backoff starts at 1 s and doubles)."),

            Setting.bool("bridge.memory.shard-limits", "false",
                    "Whether the in-memory backend enforces Kinesis's per-shard write limits (throttling with ProvisionedThroughputExceededException)."),
            Setting.integer("bridge.memory.records-per-second", "1000", 1, 1_000_000_000, "Per-shard record limit when limits are on."),
            Setting.integer("bridge.memory.bytes-per-second", "1048576", 1, Long.MAX_VALUE, "Per-shard byte limit when limits are on."),
            Setting.custom("bridge.memory.max-size", "25%",
                    "Memory cap of the in-memory backend, as a share of the heap (`25%`) or a size (`512m`, `2g`, bytes); past it the oldest records are trimmed and counted.",
                    v -> memorySize(v, Runtime.getRuntime().maxMemory()).isPresent() ? null : "is not a size such as 25%, 512m or 1073741824"),
            Setting.text("bridge.memory.persist-dir", "",
                    "When set, the in-memory backend also keeps its streams in this directory (checksummed append-only files) and loads them at start: captured records survive a restart. Empty: memory only."),
            Setting.bool("bridge.memory.persist-fsync", "false",
                    "With `bridge.memory.persist-dir`: whether a put is acknowledged only after its records are on the disk (fsync), not just handed to the operating system."),
            Setting.integer("bridge.memory.create-delay-ms", "0", 0, 600_000,
                    "How long a stream created through the endpoint's CreateStream stays CREATING (no shards shown, writes answered ResourceNotFoundException), as on AWS; 0: ACTIVE at once. The streams of bridge.streams are ACTIVE at start whatever this says."),
            Setting.integer("bridge.memory.delete-delay-ms", "0", 0, 600_000,
                    "How long a stream deleted through the endpoint's DeleteStream stays DELETING (its records gone, its name still taken), as on AWS; 0: gone at once."),
            Setting.integer("bridge.memory.account-shard-limit", "0", 0, 1_000_000,
                    "Open shards all streams may have together, as AWS's account shard quota (500 in most regions, 200 in some): CreateStream past it answers LimitExceededException. 0: no limit."),

            Setting.bool("bridge.endpoint.enabled", "true",
                    "Whether the in-memory backend is served on the Kinesis wire protocol (JSON 1.1 and CBOR 1.1), for the AWS CLI and SDKs (only with bridge.backend=memory)."),
            Setting.text("bridge.endpoint.host", "127.0.0.1",
                    "Address the Kinesis endpoint listens on. It verifies no request signature (bridge.endpoint.require-signature checks their structure only): keep it on loopback unless the network is trusted."),
            Setting.integer("bridge.endpoint.port", "4567", 0, 65535,
                    "Port of the Kinesis endpoint (`aws --endpoint-url http://127.0.0.1:4567 kinesis …`); 0 picks a free port, which the log names."),
            Setting.integer("bridge.endpoint.max-connections", "256", 1, 1_000_000,
                    "Connections the Kinesis endpoint keeps open at once; one more is closed as soon as it is accepted (counted in kinesis_bridge_listener_connections_refused_total)."),
            Setting.integer("bridge.endpoint.idle-timeout-ms", "120000", 1, 86_400_000,
                    "A connection to the Kinesis endpoint with no request under way is closed after this long (longer than the AWS SDKs keep an idle connection, 60 s)."),
            Setting.integer("bridge.endpoint.header-timeout-ms", "10000", 1, 3_600_000,
                    "A request's head (request line and headers) must reach the Kinesis endpoint within this long of its first byte, or the connection is closed."),
            Setting.integer("bridge.endpoint.request-timeout-ms", "30000", 1, 3_600_000,
                    "A request's body must reach the Kinesis endpoint within this long of its head, or the connection is closed."),
            Setting.integer("bridge.endpoint.max-body-bytes-in-flight", "33554432", 65_536, Long.MAX_VALUE,
                    "Request body bytes the Kinesis endpoint holds at once over all connections (memory is taken as bytes arrive, never for an announced Content-Length); a request whose bytes do not fit is answered 503 ServiceUnavailable, which SDKs retry. A single body is limited to 16 MiB (413)."),
            Setting.custom("bridge.endpoint.cors.allowed-origins", "loopback",
                    "Web pages that may call the endpoint from a browser (the AWS SDK for JavaScript), answered as AWS answers them (`Access-Control-Allow-Origin: *`): `loopback` (pages served from this machine), origins (`scheme://host[:port]`, comma-separated, with or without `loopback`), `*` (every page, as AWS; any site you visit could then read and delete the streams) or empty (none). Other origins get 403.",
                    AllowedOrigins::problem),
            Setting.custom("bridge.endpoint.fault.request-rate", "0",
                    "Share (0 to 1) of PutRecord and PutRecords requests to the endpoint that fail as a whole, with an error drawn from bridge.endpoint.fault.errors.",
                    BridgeSettings::checkRate),
            Setting.custom("bridge.endpoint.fault.entry-rate", "0",
                    "Share (0 to 1) of PutRecords entries sent to the endpoint that fail alone (per-entry ErrorCode, FailedRecordCount) while the rest of the batch is written.",
                    BridgeSettings::checkRate),
            Setting.custom("bridge.endpoint.fault.errors", "ProvisionedThroughputExceededException,InternalFailure",
                    "Errors the injected faults draw from, comma-separated: ProvisionedThroughputExceededException (400), InternalFailure (500).",
                    BridgeSettings::checkFaultErrors),
            Setting.integer("bridge.endpoint.fault.seed", "1", Long.MIN_VALUE, Long.MAX_VALUE,
                    "Seed of the fault and jitter draws: the same seed and the same sequence of requests give the same faults."),
            Setting.integer("bridge.endpoint.latency-ms", "0", 0, 600_000,
                    "Latency added to every PutRecord and PutRecords answer of the endpoint."),
            Setting.integer("bridge.endpoint.latency-jitter-ms", "0", 0, 600_000,
                    "Up to this much more latency, drawn per request."),
            Setting.bool("bridge.endpoint.require-signature", "false",
                    "Whether the endpoint wants requests signed as AWS does: one without an Authorization header gets MissingAuthenticationTokenException, one whose SigV4 header lacks a part IncompleteSignatureException. Checks the structure only (the secret is not verified), so that a broken credential setup fails here as it would on AWS. The bridge's own routes do not go through the endpoint."),

            Setting.text("bridge.aws.region", "",
                    "AWS region of the streams (backend aws); empty for the SDK's region chain (AWS_REGION, profile, instance metadata)."),
            Setting.custom("bridge.aws.endpoint-override", "",
                    "Another Kinesis endpoint than the region's: a VPC endpoint, kinesalite, the bridge's own (`http://127.0.0.1:4567`).",
                    BridgeSettings::checkUrl),
            Setting.bool("bridge.aws.cbor", "true",
                    "CBOR on the wire, the SDK's default for Kinesis; `false` speaks JSON (kinesalite needs it). Applies to this backend's client only."),
            Setting.oneOf("bridge.aws.credentials", "default", List.of("default", "profile", "static", "web-identity"),
                    "Where credentials come from: `default` (the SDK's chain: environment, system properties, web identity, profile, container, instance), `profile` (bridge.aws.profile), `static` (bridge.aws.access-key-id and secret-access-key) or `web-identity` (bridge.aws.web-identity-token-file and role-arn)."),
            Setting.text("bridge.aws.profile", "", "Profile name for credentials=profile (from ~/.aws/config and ~/.aws/credentials)."),
            Setting.text("bridge.aws.access-key-id", "", "Access key id for credentials=static."),
            Setting.text("bridge.aws.secret-access-key", "", "Secret access key for credentials=static; never logged (prefer the environment variable BRIDGE_AWS_SECRET_ACCESS_KEY to a file)."),
            Setting.text("bridge.aws.session-token", "", "Session token for temporary static credentials; never logged."),
            Setting.custom("bridge.aws.role-arn", "",
                    "Role to act as: assumed with STS on top of the credentials above, or the web identity's role.",
                    v -> v.isEmpty() || v.startsWith("arn:") ? null : "is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)"),
            Setting.text("bridge.aws.external-id", "", "External id the role's trust policy asks for (needs role-arn)."),
            Setting.custom("bridge.aws.role-session-name", "kinesis-bridge", "Session name of the assumed role.",
                    v -> v.matches("[\\w+=,.@-]{2,64}") ? null : "is not a session name (2-64 of letters, digits and +=,.@_-)"),
            Setting.text("bridge.aws.web-identity-token-file", "", "Token file for credentials=web-identity (EKS: AWS_WEB_IDENTITY_TOKEN_FILE)."),
            Setting.custom("bridge.aws.sts-endpoint-override", "", "Another STS endpoint than the region's, for role-arn and web identity.",
                    BridgeSettings::checkUrl),
            Setting.oneOf("bridge.aws.http-protocol", "auto", List.of("auto", "http1.1", "http2"),
                    "HTTP version to Kinesis: `auto` is HTTP/1.1 for an http:// endpoint override and the SDK's HTTP/2 otherwise."),
            Setting.integer("bridge.aws.max-concurrency", "50", 1, 10_000, "Connections (HTTP/1.1) or streams (HTTP/2) to Kinesis at once."),
            Setting.integer("bridge.aws.connect-timeout-ms", "2000", 1, 600_000, "Connection set-up timeout."),
            Setting.integer("bridge.aws.read-timeout-ms", "30000", 1, 600_000, "Longest silence while reading an answer or writing a request."),
            Setting.integer("bridge.aws.attempt-timeout-ms", "10000", 1, 600_000,
                    "Longest time for one request; past it the records are retried (ServiceUnreachable)."),
            Setting.integer("bridge.aws.acquisition-timeout-ms", "10000", 1, 600_000, "How long a request waits for a free connection."),

            Setting.integer("bridge.dispatch.max-batch-records", "500", 1, 500, "Records per PutRecords request."),
            Setting.integer("bridge.dispatch.linger-ms", "0", 0, 60_000,
                    "How long a partly filled batch waits for more records; 0 batches only what queued while requests were in flight."),
            Setting.integer("bridge.dispatch.max-concurrent-requests", "8", 1, 10_000, "Requests in flight per stream."),
            Setting.oneOf("bridge.dispatch.shard-flow-control", "auto", List.of("auto", "true", "false"),
                    "Pace sends per shard (the dispatcher reads the stream's shards and keeps a token bucket per shard) so that Kinesis rarely throttles. `auto`: on for the aws backend, and for the in-memory backend only when `bridge.memory.shard-limits` is on (then at its limits)."),
            Setting.integer("bridge.dispatch.shard-records-per-second", "1000", 1, 1_000_000_000, "Records per second a shard takes (Kinesis: 1,000)."),
            Setting.integer("bridge.dispatch.shard-bytes-per-second", "1048576", 1, Long.MAX_VALUE,
                    "Bytes (data plus partition keys) per second a shard takes (Kinesis: 1 MiB)."),
            Setting.integer("bridge.dispatch.shard-map-refresh-ms", "60000", 0, 86_400_000,
                    "How often the shard map is read again besides the signs of a reshard (a record on an unknown shard); 0 for only those."),
            Setting.integer("bridge.dispatch.max-pending-bytes", "67108864", 1024, Long.MAX_VALUE,
                    "Bytes of records a stream may hold unacknowledged; past it the file source waits and HTTP answers BridgeSaturated, instead of memory growing."),
            Setting.integer("bridge.retry.max-attempts", "10", 1, 1_000_000, "Sends of a record before it is dead-lettered, for retryable errors."),
            Setting.integer("bridge.retry.base-delay-ms", "100", 0, 3_600_000, "Backoff base: a retry waits a random time up to base × 2^(attempt−1)."),
            Setting.integer("bridge.retry.max-delay-ms", "5000", 0, 3_600_000, "Backoff cap."),
            Setting.integer("bridge.shutdown-timeout-ms", "30000", 0, 3_600_000,
                    "On stop, how long to wait for records in flight; what is left then is written to the spool and sent after the restart (dead-lettered when the spool is off or cannot take it)."),

            Setting.bool("bridge.spool.enabled", "true",
                    "Store and forward: records Kinesis does not take (unreachable, 5xx, or throttling past bridge.retry.max-attempts) go to an on-disk spool instead of the dead-letter output, their sources are acknowledged, and they are sent in per-key order when Kinesis answers again, also after a restart. Errors that no resend can fix still go to the dead-letter output."),
            Setting.text("bridge.spool.dir", "data/spool", "Directory of the spool, one `stream-<name>/` directory of checksummed segment files per stream."),
            Setting.integer("bridge.spool.max-bytes", "1073741824", 65_536, Long.MAX_VALUE,
                    "Bytes each stream's spool may hold. When it is full (or the disk is), records wait in memory up to bridge.dispatch.max-pending-bytes and then the sources are slowed: HTTP answers 503, MQTT messages are not acknowledged, file tailing pauses. Nothing is dropped."),
            Setting.oneOf("bridge.spool.fsync", "always", List.of("always", "interval", "never"),
                    "When spooled records are forced to the disk: `always` (before the source is acknowledged; one fsync covers the records written together), `interval` (at most bridge.spool.fsync-interval-ms later: a power cut may lose that much), `never` (left to the operating system; a crash of the bridge loses nothing, a crash of the machine may)."),
            Setting.integer("bridge.spool.fsync-interval-ms", "1000", 1, 3_600_000, "With bridge.spool.fsync=interval: the longest time between a spool write and its fsync."),

            Setting.bool("bridge.management.enabled", "true",
                    "Whether the management server runs: health at `/observe/health` (liveness `/observe/health/live`, readiness `/observe/health/ready`: 200 when every route and the backend are ready, 503 otherwise)."),
            Setting.text("bridge.management.host", "127.0.0.1", "Address of the management server."),
            Setting.integer("bridge.management.port", "9876", 0, 65535, "Port of the management server; 0 picks a free port, which the log names."),
            Setting.integer("bridge.management.max-connections", "64", 1, 100_000,
                    "Connections the management server keeps open at once; one more is closed as soon as it is accepted."),
            Setting.integer("bridge.management.idle-timeout-ms", "30000", 1, 86_400_000,
                    "A management connection on which no byte moved either way for this long is closed."),
            Setting.integer("bridge.management.request-timeout-ms", "10000", 1, 86_400_000,
                    "Time a client has to send a whole request to the management server after connecting or after its previous answer; also how long an idle keep-alive connection stays open."),
            Setting.integer("bridge.progress-interval-seconds", "30", 0, 86_400,
                    "Every how many seconds a progress line with records/s per stream is logged (while records move); 0: never.")
    );

    private static final Map<String, Setting> BY_KEY;

    static {
        Map<String, Setting> m = new LinkedHashMap<>();
        KNOWN.forEach(s -> m.put(s.key(), s));
        BY_KEY = Collections.unmodifiableMap(m);
    }

    private final Map<String, String> bridge;
    private final Map<String, String> camel;

    private BridgeSettings(Map<String, String> bridge, Map<String, String> camel) {
        this.bridge = bridge;
        this.camel = camel;
    }

    /**
     * Reads the properties file (when it exists), then the environment, then the flags.
     *
     * @throws InvalidSettingException naming the key and where it came from
     */
    public static BridgeSettings load(Optional<Path> file, Map<String, String> environment, Map<String, String> flags) {
        Map<String, String> bridge = new LinkedHashMap<>();
        Map<String, String> camel = new TreeMap<>();
        KNOWN.forEach(s -> bridge.put(s.key(), s.defaultValue()));
        if (file.isPresent()) {
            Properties props = new Properties();
            try (Reader r = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (IOException e) {
                throw new InvalidSettingException("Cannot read the configuration file " + file.get() + ": " + e.getMessage());
            }
            for (String key : new TreeMap<>(Map.copyOf(propsAsMap(props))).keySet()) {
                put(bridge, camel, key, props.getProperty(key).trim(), file.get().toString());
            }
        }
        Map<String, String> byVariable = new LinkedHashMap<>();
        KNOWN.forEach(s -> byVariable.put(s.environmentVariable(), s.key()));
        for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
            String variable = e.getKey();
            if (!variable.startsWith("BRIDGE_") || variable.equals("BRIDGE_CONFIG") || variable.equals("BRIDGE_ROUTES")) {
                continue;
            }
            String key = byVariable.get(variable);
            if (key == null) {
                throw new InvalidSettingException("Unknown setting in environment variable " + variable
                        + suggestion(variable.toLowerCase(Locale.ROOT).replace('_', '.')));
            }
            put(bridge, camel, key, e.getValue().trim(), "environment variable " + variable);
        }
        for (Map.Entry<String, String> e : flags.entrySet()) {
            put(bridge, camel, e.getKey(), e.getValue().trim(), "flag --" + e.getKey());
        }
        return new BridgeSettings(bridge, camel);
    }

    private static void put(Map<String, String> bridge, Map<String, String> camel, String key, String value, String origin) {
        if (!key.startsWith("bridge.")) {
            // camel.* keys, and the user's own placeholders for their routes; a near miss of a bridge.* key is a typo
            String suggestion = key.startsWith("camel.") ? ""
                    : BY_KEY.containsKey("bridge." + key) ? "; did you mean bridge." + key + "?" : suggestion(key);
            if (!suggestion.isEmpty()) {
                throw new InvalidSettingException("Unknown setting " + key + " (from " + origin + ")" + suggestion);
            }
            camel.put(key, value);
            return;
        }
        Setting setting = BY_KEY.get(key);
        if (setting == null) {
            throw new InvalidSettingException("Unknown setting " + key + " (from " + origin + ")" + suggestion(key));
        }
        String problem = setting.check().apply(value);
        if (problem != null) {
            throw new InvalidSettingException("Setting " + key + " (from " + origin + "): '" + value + "' " + problem);
        }
        bridge.put(key, value);
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : BY_KEY.keySet()) {
            int d = distance(key, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return best != null && bestDistance <= Math.max(3, key.length() / 4) ? "; did you mean " + best + "?" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Map<String, String> propsAsMap(Properties props) {
        Map<String, String> m = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> m.put(k, props.getProperty(k)));
        return m;
    }

    private static String checkUrl(String value) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(value);
            return (uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https")))
                    && uri.getHost() != null ? null : "is not an http:// or https:// URL";
        } catch (java.net.URISyntaxException e) {
            return "is not an http:// or https:// URL";
        }
    }

    private static String checkRate(String value) {
        try {
            double rate = Double.parseDouble(value.trim());
            return rate >= 0 && rate <= 1 ? null : "is not a share between 0 and 1";
        } catch (NumberFormatException e) {
            return "is not a share between 0 and 1 (such as 0.05)";
        }
    }

    private static String checkFaultErrors(String value) {
        List<String> codes = commaList(value);
        return !codes.isEmpty() && FaultSettings.ALLOWED_ERRORS.containsAll(codes) ? null
                : "is not a comma-separated list of " + String.join(", ", FaultSettings.ALLOWED_ERRORS);
    }

    /** The items of a comma-separated setting, trimmed, empty ones dropped. */
    static List<String> commaList(String value) {
        return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static String checkTopicFilters(String value) {
        List<String> filters = commaList(value);
        if (filters.isEmpty()) {
            return "names no topic filter";
        }
        try {
            filters.forEach(io.kinesisbridge.source.mqtt.TopicFilters::check);
            return null;
        } catch (IllegalArgumentException e) {
            return "is not valid: " + e.getMessage();
        }
    }

    private static String checkRegex(String value) {
        try {
            java.util.regex.Pattern.compile(value);
            return null;
        } catch (java.util.regex.PatternSyntaxException e) {
            return "is not a regular expression: " + e.getDescription();
        }
    }

    private static String checkStreams(String value) {
        try {
            StreamSpec.parseList(value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** A memory size: {@code N%} of {@code heapBytes}, or bytes with an optional k/m/g suffix (powers of 1024). */
    static Optional<Long> memorySize(String value, long heapBytes) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("%")) {
                double share = Double.parseDouble(v.substring(0, v.length() - 1));
                return share > 0 && share <= 100 ? Optional.of((long) (heapBytes * share / 100)) : Optional.empty();
            }
            long unit = 1;
            if (v.endsWith("k")) {
                unit = 1L << 10;
            } else if (v.endsWith("m")) {
                unit = 1L << 20;
            } else if (v.endsWith("g")) {
                unit = 1L << 30;
            }
            long n = Long.parseLong(unit == 1 ? v : v.substring(0, v.length() - 1));
            return n > 0 ? Optional.of(n * unit) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    // ---- typed access ----------------------------------------------------------------------------------------

    public String text(String key) {
        String v = bridge.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no such setting: " + key);
        }
        return v;
    }

    public int integer(String key) {
        return Math.toIntExact(Long.parseLong(text(key).trim()));
    }

    public long longValue(String key) {
        return Long.parseLong(text(key).trim());
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(text(key).trim());
    }

    public List<StreamSpec> streams() {
        return StreamSpec.parseList(text("bridge.streams"));
    }

    public double doubleValue(String key) {
        return Double.parseDouble(text(key).trim());
    }

    /** The endpoint's fault and latency settings (bridge.endpoint.fault.*, bridge.endpoint.latency-*). */
    public FaultSettings endpointFaults() {
        return new FaultSettings(doubleValue("bridge.endpoint.fault.request-rate"), doubleValue("bridge.endpoint.fault.entry-rate"),
                commaList(text("bridge.endpoint.fault.errors")),
                java.time.Duration.ofMillis(longValue("bridge.endpoint.latency-ms")),
                java.time.Duration.ofMillis(longValue("bridge.endpoint.latency-jitter-ms")),
                longValue("bridge.endpoint.fault.seed"));
    }

    public long memoryMaxBytes() {
        return memorySize(text("bridge.memory.max-size"), Runtime.getRuntime().maxMemory()).orElseThrow();
    }

    /** Every bridge.* value, defaults included. */
    public Map<String, String> bridgeValues() {
        return Collections.unmodifiableMap(bridge);
    }

    /** The keys given in any source that are not bridge.* settings (camel.* and the routes' own placeholders), for Camel. */
    public Map<String, String> camelValues() {
        return Collections.unmodifiableMap(camel);
    }

    public List<String> keys() {
        return new ArrayList<>(BY_KEY.keySet());
    }
}
