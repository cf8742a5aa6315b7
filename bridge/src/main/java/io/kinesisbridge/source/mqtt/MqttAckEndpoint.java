package io.kinesisbridge.source.mqtt;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Subscribes to MQTT topic filters (MQTT 5 or 3.1.1, shared subscriptions included) and acknowledges each QoS 1
 * message only when the route has finished with it, i.e. when Kinesis accepted or the bridge dead-lettered its
 * record. A broker that is down at start or goes away is retried with backoff in the background; the route and
 * the rest of the bridge keep running.
 */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "mqtt-ack",
        title = "MQTT with acknowledgement after processing",
        syntax = "mqtt-ack:name",
        consumerOnly = true,
        category = {Category.MESSAGING, Category.IOT},
        headersClass = MqttAckConstants.class)
public class MqttAckEndpoint extends DefaultEndpoint {

    @UriPath(description = "A name for the subscription, for logs.")
    @Metadata(required = true)
    private final String name;

    @UriParam(
            description = "Topic filters, comma-separated; + and # wildcards and $share/GROUP/FILTER allowed. "
                    + "Wrap in RAW() in a URI: + would otherwise turn into a space.")
    @Metadata(required = true)
    private String topics;

    @UriParam(defaultValue = "tcp://127.0.0.1:1883", description = "The broker: tcp://HOST:PORT or ssl://HOST:PORT.")
    private String brokerUrl = "tcp://127.0.0.1:1883";

    @UriParam(defaultValue = "5", enums = "5,3.1.1", description = "MQTT protocol version.")
    private String version = "5";

    @UriParam(
            defaultValue = "1",
            enums = "0,1,2",
            description =
                    "QoS of the subscriptions. 1 (at least once) lets the "
                            + "bridge acknowledge after Kinesis; with 2 the client sends PUBREC on arrival; 0 has no acknowledgement.")
    private int qos = 1;

    @UriParam(
            defaultValue = "kinesis-bridge",
            description = "Client id: the broker keeps the session, with the "
                    + "messages not yet acknowledged, under it. Give each bridge its own.")
    private String clientId = "kinesis-bridge";

    @UriParam(label = "security", secret = true, description = "User name for the broker.")
    private String userName;

    @UriParam(label = "security", secret = true, description = "Password for the broker.")
    private String password;

    @UriParam(
            defaultValue = "false",
            description = "Whether to start a new session at each connect, dropping what "
                    + "the broker kept for this client id (messages not acknowledged are then lost).")
    private boolean cleanStart;

    @UriParam(
            defaultValue = "86400",
            description = "MQTT 5: how long, in seconds, the broker keeps the session " + "after a disconnect.")
    private long sessionExpiryInterval = 86_400;

    @UriParam(
            defaultValue = "1000",
            description = "Messages the broker may send before acknowledgements come back "
                    + "(MQTT 5 Receive Maximum; the client's in-flight window for 3.1.1).")
    private int receiveMaximum = 1000;

    @UriParam(defaultValue = "30", description = "Keep-alive interval in seconds.")
    private int keepAliveInterval = 30;

    @UriParam(defaultValue = "10", description = "Connect timeout in seconds.")
    private int connectTimeout = 10;

    @UriParam(
            defaultValue = "1000",
            description = "First reconnect delay in milliseconds; doubles up to reconnectMaxDelay.")
    private long reconnectDelay = 1000;

    @UriParam(defaultValue = "30000", description = "Longest reconnect delay in milliseconds.")
    private long reconnectMaxDelay = 30_000;

    @UriParam(
            label = "security",
            description = "Trust store (PKCS12 or JKS) with the broker's CA, for ssl:// URLs; "
                    + "unset, the JVM's trusted CAs.")
    private String trustStore;

    @UriParam(label = "security", secret = true, description = "Password of the trust store.")
    private String trustStorePassword;

    @UriParam(label = "security", description = "Key store (PKCS12 or JKS) with a client certificate and key.")
    private String keyStore;

    @UriParam(label = "security", secret = true, description = "Password of the key store and its key.")
    private String keyStorePassword;

    private MqttSettings settings;

    public MqttAckEndpoint(String uri, MqttAckComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (topics == null || topics.isBlank()) {
            throw new IllegalArgumentException(getEndpointUri() + ": option topics is required");
        }
        List<String> filters = Arrays.stream(topics.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        Optional<MqttTls> tls = brokerUrl.startsWith("ssl://")
                        || nonBlank(trustStore).isPresent()
                        || nonBlank(keyStore).isPresent()
                ? Optional.of(new MqttTls(
                        nonBlank(trustStore),
                        nonBlank(trustStorePassword),
                        nonBlank(keyStore),
                        nonBlank(keyStorePassword)))
                : Optional.empty();
        try {
            settings = new MqttSettings(
                    brokerUrl,
                    MqttSettings.MqttVersion.parse(version),
                    filters,
                    qos,
                    clientId,
                    nonBlank(userName),
                    nonBlank(password),
                    cleanStart,
                    sessionExpiryInterval,
                    receiveMaximum,
                    keepAliveInterval,
                    Duration.ofSeconds(connectTimeout),
                    tls);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mqtt-ack:" + name + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    MqttSettings settings() {
        return settings;
    }

    MqttConnection newConnection(MqttConnection.Listener listener) {
        return settings.version() == MqttSettings.MqttVersion.V5
                ? new Paho5Connection(settings, listener)
                : new Paho3Connection(settings, listener);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("mqtt-ack only subscribes");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        MqttAckConsumer consumer = new MqttAckConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getName() {
        return name;
    }

    public String getTopics() {
        return topics;
    }

    public void setTopics(String topics) {
        this.topics = topics;
    }

    public String getBrokerUrl() {
        return brokerUrl;
    }

    public void setBrokerUrl(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public int getQos() {
        return qos;
    }

    public void setQos(int qos) {
        this.qos = qos;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getUserName() {
        return userName;
    }

    public void setUserName(String userName) {
        this.userName = userName;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public boolean isCleanStart() {
        return cleanStart;
    }

    public void setCleanStart(boolean cleanStart) {
        this.cleanStart = cleanStart;
    }

    public long getSessionExpiryInterval() {
        return sessionExpiryInterval;
    }

    public void setSessionExpiryInterval(long sessionExpiryInterval) {
        this.sessionExpiryInterval = sessionExpiryInterval;
    }

    public int getReceiveMaximum() {
        return receiveMaximum;
    }

    public void setReceiveMaximum(int receiveMaximum) {
        this.receiveMaximum = receiveMaximum;
    }

    public int getKeepAliveInterval() {
        return keepAliveInterval;
    }

    public void setKeepAliveInterval(int keepAliveInterval) {
        this.keepAliveInterval = keepAliveInterval;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getReconnectDelay() {
        return reconnectDelay;
    }

    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public long getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    public void setReconnectMaxDelay(long reconnectMaxDelay) {
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    public String getTrustStore() {
        return trustStore;
    }

    public void setTrustStore(String trustStore) {
        this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
        return trustStorePassword;
    }

    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = trustStorePassword;
    }

    public String getKeyStore() {
        return keyStore;
    }

    public void setKeyStore(String keyStore) {
        this.keyStore = keyStore;
    }

    public String getKeyStorePassword() {
        return keyStorePassword;
    }

    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = keyStorePassword;
    }
}
