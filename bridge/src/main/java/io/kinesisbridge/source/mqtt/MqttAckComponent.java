package io.kinesisbridge.source.mqtt;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** The mqtt-ack component: MQTT 5 and 3.1.1 subscriptions whose messages are acknowledged after the route is done. */
@Component("mqtt-ack")
public class MqttAckComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MqttAckEndpoint endpoint = new MqttAckEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
