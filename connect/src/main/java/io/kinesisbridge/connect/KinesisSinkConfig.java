package io.kinesisbridge.connect;

import io.kinesisbridge.backend.aws.AssumeRole;
import io.kinesisbridge.backend.aws.AwsBackendSettings;
import io.kinesisbridge.backend.aws.CredentialsSource;
import io.kinesisbridge.dispatch.DispatchSettings;
import io.kinesisbridge.dispatch.FlowControl;
import io.kinesisbridge.dispatch.Ordering;
import io.kinesisbridge.dispatch.RetryPolicy;
import io.kinesisbridge.put.PutRecordValidator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;

/**
 * The sink connector's configuration: every key declared once in {@link #CONFIG_DEF}, with its check and its doc.
 * It is long because those declarations are the documentation (docs/kafka-connect.md is generated from them) and
 * Connect wants them in one {@link ConfigDef}; the code that acts on them is in the task.
 */
public final class KinesisSinkConfig extends AbstractConfig {

    public static final String STREAM = "kinesis.stream";
    public static final String TOPIC_STREAMS = "kinesis.topic.streams";
    public static final String PARTITION_KEY = "kinesis.partition.key";
    public static final String EXPLICIT_HASH_KEY = "kinesis.explicit.hash.key";
    public static final String ORDERING = "kinesis.ordering";
    public static final String NULL_VALUES = "kinesis.null.values";
    public static final String MAX_PENDING_BYTES = "kinesis.max.pending.bytes";
    public static final String BATCH_MAX_RECORDS = "kinesis.batch.max.records";
    public static final String BATCH_MAX_BYTES = "kinesis.batch.max.bytes";
    public static final String LINGER_MS = "kinesis.linger.ms";
    public static final String MAX_CONCURRENT_REQUESTS = "kinesis.max.concurrent.requests";
    public static final String RETRY_MAX_ATTEMPTS = "kinesis.retry.max.attempts";
    public static final String RETRY_BASE_DELAY_MS = "kinesis.retry.base.delay.ms";
    public static final String RETRY_MAX_DELAY_MS = "kinesis.retry.max.delay.ms";
    public static final String FLOW_CONTROL = "kinesis.flow.control";
    public static final String SHARD_RECORDS_PER_SECOND = "kinesis.shard.records.per.second";
    public static final String SHARD_BYTES_PER_SECOND = "kinesis.shard.bytes.per.second";
    public static final String CLOSE_TIMEOUT_MS = "kinesis.close.timeout.ms";
    public static final String DEAD_LETTER_DIR = "kinesis.deadletter.dir";
    public static final String REGION = "aws.region";
    public static final String ENDPOINT_OVERRIDE = "aws.endpoint.override";
    public static final String CBOR = "aws.cbor";
    public static final String CREDENTIALS = "aws.credentials";
    public static final String PROFILE = "aws.profile";
    public static final String ACCESS_KEY_ID = "aws.access.key.id";
    public static final String SECRET_ACCESS_KEY = "aws.secret.access.key";
    public static final String SESSION_TOKEN = "aws.session.token";
    public static final String ROLE_ARN = "aws.role.arn";
    public static final String ROLE_SESSION_NAME = "aws.role.session.name";
    public static final String ROLE_EXTERNAL_ID = "aws.role.external.id";
    public static final String WEB_IDENTITY_TOKEN_FILE = "aws.web.identity.token.file";

    /** What happens to a record whose value is null (a tombstone): it has no data to put. */
    public enum NullValues {
        IGNORE,
        DEAD_LETTER
    }

    /** Where the AWS credentials come from. */
    public enum Credentials {
        CHAIN,
        PROFILE,
        STATIC,
        WEB_IDENTITY
    }

    private static final String GROUP_TARGET = "Target";
    private static final String GROUP_DELIVERY = "Delivery";
    private static final String GROUP_AWS = "AWS";

    public static final ConfigDef CONFIG_DEF = configDef();

    private final Map<String, String> topicStreams;
    private final RecordKeySource partitionKey;
    private final Optional<RecordKeySource> explicitHashKey;

    public KinesisSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        List<String> problems = crossProblems(this);
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        this.topicStreams = topicStreams(getList(TOPIC_STREAMS));
        this.partitionKey = RecordKeySource.parse(getString(PARTITION_KEY));
        String hashKey = getString(EXPLICIT_HASH_KEY);
        this.explicitHashKey = hashKey.isBlank() ? Optional.empty() : Optional.of(RecordKeySource.parse(hashKey));
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(
                STREAM,
                Type.STRING,
                "",
                streamName(true),
                Importance.HIGH,
                "The Kinesis stream every topic goes to, unless " + TOPIC_STREAMS + " names another for it.",
                GROUP_TARGET,
                ++order,
                Width.MEDIUM,
                "Stream");
        def.define(
                TOPIC_STREAMS,
                Type.LIST,
                "",
                topicStreamList(),
                Importance.HIGH,
                "Streams per topic, as topic:stream pairs separated by commas (orders:orders-stream,clicks:clicks). "
                        + "A topic not listed goes to " + STREAM + ".",
                GROUP_TARGET,
                ++order,
                Width.LONG,
                "Stream per topic");
        def.define(
                PARTITION_KEY,
                Type.STRING,
                "record-key",
                keySource(false),
                Importance.HIGH,
                "Where the partition key comes from: " + RecordKeySource.SYNTAX + ". A record without one is "
                        + "dead-lettered (MissingPartitionKey).",
                GROUP_TARGET,
                ++order,
                Width.MEDIUM,
                "Partition key");
        def.define(
                EXPLICIT_HASH_KEY,
                Type.STRING,
                "",
                keySource(true),
                Importance.LOW,
                "Where an ExplicitHashKey comes from (record-key, json:/POINTER or header:NAME), a decimal below "
                        + "2^128 that picks the shard instead of the partition key's MD5; empty for none.",
                GROUP_TARGET,
                ++order,
                Width.MEDIUM,
                "Explicit hash key");
        def.define(
                ORDERING,
                Type.STRING,
                "key",
                ConfigDef.CaseInsensitiveValidString.in("none", "key", "chain"),
                Importance.MEDIUM,
                "none: batch and retry freely; key: at most one record per partition key in flight, so a retried "
                        + "record never overtakes its key's next one; chain: as key, and each record is a PutRecord "
                        + "whose SequenceNumberForOrdering is its key's previous sequence number.",
                GROUP_TARGET,
                ++order,
                Width.SHORT,
                "Ordering",
                recommend("none", "key", "chain"));
        def.define(
                NULL_VALUES,
                Type.STRING,
                "ignore",
                ConfigDef.CaseInsensitiveValidString.in("ignore", "dead-letter"),
                Importance.LOW,
                "A record whose value is null (a tombstone) has no data: ignore skips it, dead-letter writes it to "
                        + "the dead-letter output.",
                GROUP_TARGET,
                ++order,
                Width.SHORT,
                "Null values",
                recommend("ignore", "dead-letter"));

        order = 0;
        def.define(
                MAX_PENDING_BYTES,
                Type.LONG,
                DispatchSettings.DEFAULT_MAX_PENDING_BYTES,
                ConfigDef.Range.atLeast(1024),
                Importance.MEDIUM,
                "Data plus partition-key bytes a task holds per stream, not yet acknowledged. When it is full the task "
                        + "pauses its partitions until there is room: memory stays bounded.",
                GROUP_DELIVERY,
                ++order,
                Width.SHORT,
                "Pending bytes");
        def.define(
                BATCH_MAX_RECORDS,
                Type.INT,
                PutRecordValidator.MAX_RECORDS_PER_REQUEST,
                ConfigDef.Range.between(1, PutRecordValidator.MAX_RECORDS_PER_REQUEST),
                Importance.LOW,
                "Records per PutRecords request.",
                GROUP_DELIVERY,
                ++order,
                Width.SHORT,
                "Batch records");
        def.define(
                BATCH_MAX_BYTES,
                Type.INT,
                PutRecordValidator.MAX_REQUEST_BYTES,
                ConfigDef.Range.between(1, PutRecordValidator.MAX_REQUEST_BYTES),
                Importance.LOW,
                "Data plus partition-key bytes per PutRecords request.",
                GROUP_DELIVERY,
                ++order,
                Width.SHORT,
                "Batch bytes");
        def.define(
                LINGER_MS,
                Type.LONG,
                DispatchSettings.DEFAULT_LINGER_MS,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "How long a partly filled batch waits for more records while a request slot is free.",
                GROUP_DELIVERY,
                ++order,
                Width.SHORT,
                "Linger");
        def.define(
                MAX_CONCURRENT_REQUESTS,
                Type.INT,
                DispatchSettings.DEFAULT_MAX_CONCURRENT_REQUESTS,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "Requests in flight per stream and task.",
                GROUP_DELIVERY,
                ++order,
                Width.SHORT,
                "Concurrent requests");
        def.define(
                RETRY_MAX_ATTEMPTS,
                Type.INT,
                Integer.MAX_VALUE,
                ConfigDef.Range.atLeast(1),
                Importance.MEDIUM,
                "Sends of a record that fails with a retryable error (throttling, 5xx, no connection) before it is "
                        + "dead-lettered. The default retries until Kinesis takes it, pausing the partitions meanwhile.",
                GROUP_DELIVERY,
                ++order,
                Width.SHORT,
                "Retry attempts");
        def.define(
                RETRY_BASE_DELAY_MS,
                Type.LONG,
                RetryPolicy.DEFAULT_BASE_DELAY_MS,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "The first retry's backoff ceiling; it doubles per attempt, with full jitter.",
                GROUP_DELIVERY,
                ++order,
                Width.SHORT,
                "Retry base delay");
        def.define(
                RETRY_MAX_DELAY_MS,
                Type.LONG,
                RetryPolicy.DEFAULT_MAX_DELAY_MS,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "The highest backoff between two sends of a record.",
                GROUP_DELIVERY,
                ++order,
                Width.SHORT,
                "Retry max delay");
        def.define(
                FLOW_CONTROL,
                Type.BOOLEAN,
                true,
                Importance.LOW,
                "Pace the records per shard at the shard's limits, so that throttling stays rare.",
                GROUP_DELIVERY,
                ++order,
                Width.SHORT,
                "Flow control");
        def.define(
                SHARD_RECORDS_PER_SECOND,
                Type.INT,
                FlowControl.KINESIS_RECORDS_PER_SECOND,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "Records a shard takes per second, for flow control.",
                GROUP_DELIVERY,
                ++order,
                Width.SHORT,
                "Shard records/s");
        def.define(
                SHARD_BYTES_PER_SECOND,
                Type.LONG,
                FlowControl.KINESIS_BYTES_PER_SECOND,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "Bytes a shard takes per second, for flow control.",
                GROUP_DELIVERY,
                ++order,
                Width.SHORT,
                "Shard bytes/s");
        def.define(
                CLOSE_TIMEOUT_MS,
                Type.LONG,
                30_000L,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "How long closing a partition (a rebalance, a stop) waits for its records in flight, so that the "
                        + "next owner does not overtake them; the rest is handed back to Kafka and sent again.",
                GROUP_DELIVERY,
                ++order,
                Width.SHORT,
                "Close timeout");
        def.define(
                DEAD_LETTER_DIR,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "A directory for dead letters as JSON lines (one file per stream), used when the connector has no "
                        + "errant-record reporter (errors.deadletterqueue.topic.name). With neither, a record that "
                        + "must be dead-lettered fails the task, and its offset is not committed.",
                GROUP_DELIVERY,
                ++order,
                Width.LONG,
                "Dead-letter directory");

        order = 0;
        def.define(
                REGION,
                Type.STRING,
                "",
                Importance.HIGH,
                "The AWS region; empty for the SDK's region chain (AWS_REGION, profile, instance metadata).",
                GROUP_AWS,
                ++order,
                Width.SHORT,
                "Region");
        def.define(
                ENDPOINT_OVERRIDE,
                Type.STRING,
                "",
                endpointUrl(),
                Importance.MEDIUM,
                "Another endpoint than the region's: a VPC endpoint, or a Kinesis-compatible one such as the "
                        + "bridge's local endpoint (http://127.0.0.1:4567).",
                GROUP_AWS,
                ++order,
                Width.LONG,
                "Endpoint override");
        def.define(
                CBOR,
                Type.BOOLEAN,
                true,
                Importance.LOW,
                "CBOR on the wire (the SDK's default for Kinesis); false for JSON, for this connector's client only.",
                GROUP_AWS,
                ++order,
                Width.SHORT,
                "CBOR");
        def.define(
                CREDENTIALS,
                Type.STRING,
                "chain",
                ConfigDef.CaseInsensitiveValidString.in("chain", "profile", "static", "web-identity"),
                Importance.HIGH,
                "chain: the SDK's default chain (environment, system properties, web identity, profile, container, "
                        + "instance); profile: " + PROFILE + "; static: " + ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY
                        + "; web-identity: " + WEB_IDENTITY_TOKEN_FILE + " and " + ROLE_ARN + ".",
                GROUP_AWS,
                ++order,
                Width.SHORT,
                "Credentials",
                recommend("chain", "profile", "static", "web-identity"));
        def.define(
                PROFILE,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "The profile of ~/.aws/config for credentials=profile.",
                GROUP_AWS,
                ++order,
                Width.SHORT,
                "Profile");
        def.define(
                ACCESS_KEY_ID,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "The access key id for credentials=static.",
                GROUP_AWS,
                ++order,
                Width.MEDIUM,
                "Access key id");
        def.define(
                SECRET_ACCESS_KEY,
                Type.PASSWORD,
                "",
                Importance.MEDIUM,
                "The secret access key for credentials=static.",
                GROUP_AWS,
                ++order,
                Width.MEDIUM,
                "Secret access key");
        def.define(
                SESSION_TOKEN,
                Type.PASSWORD,
                "",
                Importance.LOW,
                "A session token for temporary static credentials.",
                GROUP_AWS,
                ++order,
                Width.MEDIUM,
                "Session token");
        def.define(
                ROLE_ARN,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "A role to assume with the credentials (STS AssumeRole), or the role of credentials=web-identity.",
                GROUP_AWS,
                ++order,
                Width.LONG,
                "Role ARN");
        def.define(
                ROLE_SESSION_NAME,
                Type.STRING,
                "kinesis-bridge-connect",
                Importance.LOW,
                "The session name when a role is assumed.",
                GROUP_AWS,
                ++order,
                Width.MEDIUM,
                "Role session name");
        def.define(
                ROLE_EXTERNAL_ID,
                Type.PASSWORD,
                "",
                Importance.LOW,
                "The external id the role's trust policy asks for, if any.",
                GROUP_AWS,
                ++order,
                Width.MEDIUM,
                "Role external id");
        def.define(
                WEB_IDENTITY_TOKEN_FILE,
                Type.STRING,
                "",
                Importance.LOW,
                "The OIDC token file for credentials=web-identity (EKS IRSA and the like).",
                GROUP_AWS,
                ++order,
                Width.LONG,
                "Web identity token file");
        return def;
    }

    // ---- validators and recommenders ----------------------------------------------------------------------------

    private static ConfigDef.Validator streamName(boolean emptyAllowed) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String s = value == null ? "" : value.toString();
                if (s.isEmpty() && emptyAllowed) {
                    return;
                }
                if (!isStreamName(s)) {
                    throw new ConfigException(name, value, "a stream name has 1 to 128 characters of [a-zA-Z0-9_.-]");
                }
            }

            @Override
            public String toString() {
                return "a stream name: 1 to 128 characters of [a-zA-Z0-9_.-]";
            }
        };
    }

    private static ConfigDef.Validator topicStreamList() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                try {
                    @SuppressWarnings("unchecked")
                    List<String> pairs = value == null ? List.of() : (List<String>) value;
                    topicStreams(pairs);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "topic:stream pairs, comma-separated";
            }
        };
    }

    private static ConfigDef.Validator keySource(boolean forHashKey) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String s = value == null ? "" : value.toString();
                if (forHashKey && s.isBlank()) {
                    return;
                }
                RecordKeySource source;
                try {
                    source = RecordKeySource.parse(s);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
                if (forHashKey
                        && !(source instanceof RecordKeySource.RecordKey
                                || source instanceof RecordKeySource.JsonField
                                || source instanceof RecordKeySource.HeaderValue)) {
                    throw new ConfigException(
                            name, value, "an ExplicitHashKey comes from record-key, json:/POINTER or header:NAME");
                }
            }

            @Override
            public String toString() {
                return forHashKey ? "empty, record-key, json:/POINTER or header:NAME" : RecordKeySource.SYNTAX;
            }
        };
    }

    private static ConfigDef.Validator endpointUrl() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String s = value == null ? "" : value.toString();
                if (s.isEmpty()) {
                    return;
                }
                try {
                    URI uri = URI.create(s);
                    if (uri.getScheme() == null
                            || !(uri.getScheme().equals("http")
                                    || uri.getScheme().equals("https"))
                            || uri.getHost() == null) {
                        throw new IllegalArgumentException("not an http:// or https:// URL");
                    }
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, "an endpoint is an http:// or https:// URL with a host");
                }
            }

            @Override
            public String toString() {
                return "empty, or an http:// or https:// URL";
            }
        };
    }

    private static ConfigDef.Recommender recommend(Object... values) {
        return new ConfigDef.Recommender() {
            @Override
            public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
                return List.of(values);
            }

            @Override
            public boolean visible(String name, Map<String, Object> parsedConfig) {
                return true;
            }
        };
    }

    private static boolean isStreamName(String s) {
        return s.length() <= PutRecordValidator.MAX_STREAM_NAME_LENGTH && PutRecordValidator.isStreamName(s);
    }

    /** topic:stream pairs; a topic named twice or a bad stream name is an error. */
    static Map<String, String> topicStreams(List<String> pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : pairs) {
            String p = pair.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new IllegalArgumentException("'" + p + "' is not a topic:stream pair");
            }
            String topic = p.substring(0, colon).trim();
            String stream = p.substring(colon + 1).trim();
            if (!isStreamName(stream)) {
                throw new IllegalArgumentException(
                        "'" + stream + "' is not a stream name (1 to 128 characters of [a-zA-Z0-9_.-])");
            }
            if (map.put(topic, stream) != null) {
                throw new IllegalArgumentException("topic '" + topic + "' is named twice");
            }
        }
        return map;
    }

    // ---- checks across keys -------------------------------------------------------------------------------------

    /** Problems no single key's validator sees, each with the key it belongs to. */
    static Map<String, List<String>> crossProblemsByKey(AbstractConfig c) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        if (c.getString(STREAM).isEmpty() && c.getList(TOPIC_STREAMS).stream().allMatch(String::isBlank)) {
            add(problems, STREAM, "set " + STREAM + " or " + TOPIC_STREAMS + ": the connector needs a target stream");
        }
        Credentials credentials = credentials(c.getString(CREDENTIALS));
        switch (credentials) {
            case PROFILE -> {
                if (c.getString(PROFILE).isBlank()) {
                    add(problems, PROFILE, CREDENTIALS + "=profile needs " + PROFILE);
                }
            }
            case STATIC -> {
                if (c.getString(ACCESS_KEY_ID).isBlank()) {
                    add(problems, ACCESS_KEY_ID, CREDENTIALS + "=static needs " + ACCESS_KEY_ID);
                }
                if (c.getPassword(SECRET_ACCESS_KEY).value().isEmpty()) {
                    add(problems, SECRET_ACCESS_KEY, CREDENTIALS + "=static needs " + SECRET_ACCESS_KEY);
                }
            }
            case WEB_IDENTITY -> {
                if (c.getString(WEB_IDENTITY_TOKEN_FILE).isBlank()) {
                    add(
                            problems,
                            WEB_IDENTITY_TOKEN_FILE,
                            CREDENTIALS + "=web-identity needs " + WEB_IDENTITY_TOKEN_FILE);
                }
                if (c.getString(ROLE_ARN).isBlank()) {
                    add(problems, ROLE_ARN, CREDENTIALS + "=web-identity needs " + ROLE_ARN);
                }
            }
            case CHAIN -> {}
        }
        if (c.getLong(RETRY_MAX_DELAY_MS) < c.getLong(RETRY_BASE_DELAY_MS)) {
            add(problems, RETRY_MAX_DELAY_MS, RETRY_MAX_DELAY_MS + " must not be below " + RETRY_BASE_DELAY_MS);
        }
        return problems;
    }

    private static List<String> crossProblems(AbstractConfig c) {
        List<String> all = new ArrayList<>();
        crossProblemsByKey(c).values().forEach(all::addAll);
        return all;
    }

    /** Adds the cross-key problems to the values Connect's validation returns (shown by the REST API per key). */
    static void addCrossProblems(Map<String, String> props, Map<String, ConfigValue> values) {
        boolean singleKeysValid =
                values.values().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (!singleKeysValid) {
            return;
        }
        AbstractConfig parsed = new AbstractConfig(CONFIG_DEF, props, false);
        crossProblemsByKey(parsed).forEach((key, messages) -> {
            ConfigValue value = values.get(key);
            if (value != null) {
                messages.forEach(value::addErrorMessage);
            }
        });
    }

    private static void add(Map<String, List<String>> problems, String key, String message) {
        problems.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    }

    private static Credentials credentials(String value) {
        return Credentials.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    // ---- what the task uses -------------------------------------------------------------------------------------

    /** The stream a record of {@code topic} goes to; empty when neither the map nor the default names one. */
    public Optional<String> streamFor(String topic) {
        String mapped = topicStreams.get(topic);
        if (mapped != null) {
            return Optional.of(mapped);
        }
        String fallback = getString(STREAM);
        return fallback.isEmpty() ? Optional.empty() : Optional.of(fallback);
    }

    RecordKeySource partitionKey() {
        return partitionKey;
    }

    Optional<RecordKeySource> explicitHashKey() {
        return explicitHashKey;
    }

    public Ordering ordering() {
        return Ordering.parse(getString(ORDERING));
    }

    public NullValues nullValues() {
        return NullValues.valueOf(
                getString(NULL_VALUES).trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public Duration closeTimeout() {
        return Duration.ofMillis(getLong(CLOSE_TIMEOUT_MS));
    }

    public Optional<Path> deadLetterDir() {
        String dir = getString(DEAD_LETTER_DIR);
        return dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    public DispatchSettings dispatchSettings() {
        FlowControl flow = new FlowControl(
                getBoolean(FLOW_CONTROL),
                getInt(SHARD_RECORDS_PER_SECOND),
                getLong(SHARD_BYTES_PER_SECOND),
                Duration.ofMillis(FlowControl.DEFAULT_REFRESH_MS));
        RetryPolicy retry = new RetryPolicy(
                getInt(RETRY_MAX_ATTEMPTS),
                Duration.ofMillis(getLong(RETRY_BASE_DELAY_MS)),
                Duration.ofMillis(getLong(RETRY_MAX_DELAY_MS)));
        return new DispatchSettings(
                getInt(BATCH_MAX_RECORDS),
                getInt(BATCH_MAX_BYTES),
                Duration.ofMillis(getLong(LINGER_MS)),
                getInt(MAX_CONCURRENT_REQUESTS),
                retry,
                DispatchSettings.DEFAULT_CHAIN_KEYS,
                flow,
                getLong(MAX_PENDING_BYTES));
    }

    public AwsBackendSettings awsSettings() {
        AwsBackendSettings settings = AwsBackendSettings.defaults().withCbor(getBoolean(CBOR));
        String region = getString(REGION);
        if (!region.isBlank()) {
            settings = settings.withRegion(region.trim());
        }
        String endpoint = getString(ENDPOINT_OVERRIDE);
        if (!endpoint.isBlank()) {
            settings = settings.withEndpoint(URI.create(endpoint.trim()));
        }
        String roleArn = getString(ROLE_ARN).trim();
        String sessionName = getString(ROLE_SESSION_NAME).trim();
        CredentialsSource source = switch (credentials(getString(CREDENTIALS))) {
            case CHAIN -> new CredentialsSource.DefaultChain();
            case PROFILE -> new CredentialsSource.Profile(getString(PROFILE).trim());
            case STATIC ->
                new CredentialsSource.Static(
                        getString(ACCESS_KEY_ID).trim(),
                        new CredentialsSource.Secret(
                                getPassword(SECRET_ACCESS_KEY).value()),
                        secret(getPassword(SESSION_TOKEN)));
            case WEB_IDENTITY ->
                new CredentialsSource.WebIdentity(
                        Path.of(getString(WEB_IDENTITY_TOKEN_FILE).trim()), roleArn, sessionName);
        };
        settings = settings.withCredentials(source);
        if (!roleArn.isEmpty() && !(source instanceof CredentialsSource.WebIdentity)) {
            String externalId = getPassword(ROLE_EXTERNAL_ID).value();
            settings = settings.withAssumeRole(Optional.of(new AssumeRole(
                    roleArn, externalId.isEmpty() ? Optional.empty() : Optional.of(externalId), sessionName)));
        }
        return settings;
    }

    private static Optional<CredentialsSource.Secret> secret(Password password) {
        return password.value().isEmpty()
                ? Optional.empty()
                : Optional.of(new CredentialsSource.Secret(password.value()));
    }
}
