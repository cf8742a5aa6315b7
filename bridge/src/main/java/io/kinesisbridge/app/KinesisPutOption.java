package io.kinesisbridge.app;

import io.kinesisbridge.component.KinesisPutConfiguration;
import io.kinesisbridge.component.KinesisPutDispatchConfiguration;
import org.apache.camel.spi.UriParam;

/**
 * A kinesis-put component option that a bridge setting mirrors. Its default is read from the option's own
 * declaration, so the bridge's settings table cannot drift from the component's.
 */
record KinesisPutOption(String name, String defaultValue) {

    static final String PREFIX = "camel.component.kinesis-put.";

    /** The dispatch option {@code name}; a name the component does not declare stops the class from loading. */
    static KinesisPutOption dispatch(String name) {
        return new KinesisPutOption(name, defaultOf(KinesisPutDispatchConfiguration.class, name));
    }

    /** The default of the endpoint option {@code name}, which the shipped routes set from a setting. */
    static String endpointDefault(String name) {
        return defaultOf(KinesisPutConfiguration.class, name);
    }

    private static String defaultOf(Class<?> configuration, String name) {
        try {
            UriParam param = configuration.getDeclaredField(name).getAnnotation(UriParam.class);
            if (param == null) {
                throw new IllegalStateException("kinesis-put option " + name + " has no @UriParam");
            }
            return param.defaultValue();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("kinesis-put has no option " + name, e);
        }
    }

    String camelKey() {
        return PREFIX + name;
    }
}
