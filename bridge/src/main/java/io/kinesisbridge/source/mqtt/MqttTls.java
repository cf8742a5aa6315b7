package io.kinesisbridge.source.mqtt;

import java.io.File;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for {@code ssl://} brokers: a trust store (PKCS12 or JKS) for the broker's certificate, and a key store for
 * a client certificate; either may be left out (the JVM's trusted CAs; no client certificate).
 */
record MqttTls(
        Optional<String> trustStore,
        Optional<String> trustStorePassword,
        Optional<String> keyStore,
        Optional<String> keyStorePassword) {

    SSLContext context() throws Exception {
        TrustManagerFactory tmf = null;
        if (trustStore.isPresent()) {
            KeyStore ts = KeyStore.getInstance(
                    new File(trustStore.get()), trustStorePassword.orElse("").toCharArray());
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
        }
        KeyManagerFactory kmf = null;
        if (keyStore.isPresent()) {
            char[] password = keyStorePassword.orElse("").toCharArray();
            KeyStore ks = KeyStore.getInstance(new File(keyStore.get()), password);
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }
}
