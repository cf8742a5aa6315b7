package io.kinesisbridge.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One {@code bridge.*} setting: its key, default, description, the check its value must pass, and the Camel
 * properties it sets (none for most: the routes read them as placeholders).
 *
 * @param check           returns null when the value is fine, otherwise what is wrong with it ("is not a port number")
 * @param camelProperties the Camel properties this setting sets, such as a kinesis-put component option
 */
public record Setting(
        String key,
        String defaultValue,
        String description,
        Function<String, String> check,
        List<CamelProperty> camelProperties) {

    /**
     * A Camel property that follows from the settings.
     *
     * @param value the property's value, or empty to leave it unset (Camel refuses an empty option value)
     */
    public record CamelProperty(String key, Function<BridgeSettings, Optional<String>> value) {}

    public Setting {
        camelProperties = List.copyOf(camelProperties);
    }

    /** The environment variable that overrides the key: upper case, '.' and '-' turned into '_'. */
    public String environmentVariable() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** This setting, also setting the Camel property {@code camelKey} to its own value. */
    Setting sets(String camelKey) {
        return sets(camelKey, settings -> Optional.of(settings.text(key)));
    }

    /** This setting, also setting the Camel property {@code camelKey} to {@code value}, replacing an earlier mapping of it. */
    Setting sets(String camelKey, Function<BridgeSettings, Optional<String>> value) {
        List<CamelProperty> properties = new ArrayList<>(camelProperties);
        properties.removeIf(p -> p.key().equals(camelKey));
        properties.add(new CamelProperty(camelKey, value));
        return new Setting(key, defaultValue, description, check, properties);
    }

    /** This setting, also setting the kinesis-put component option to {@code value}. */
    Setting sets(KinesisPutOption option, Function<BridgeSettings, Optional<String>> value) {
        return sets(option.camelKey(), value);
    }

    static Setting text(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description, v -> null, List.of());
    }

    /** A text setting that mirrors a kinesis-put component option: its default, and it sets the option. */
    static Setting text(String key, KinesisPutOption option, String description) {
        return text(key, option.defaultValue(), description).sets(option.camelKey());
    }

    static Setting bool(String key, String defaultValue, String description) {
        return new Setting(
                key,
                defaultValue,
                description,
                v -> v.equals("true") || v.equals("false") ? null : "is not true or false",
                List.of());
    }

    static Setting integer(String key, String defaultValue, long min, long max, String description) {
        return new Setting(
                key,
                defaultValue,
                description,
                v -> {
                    try {
                        long n = Long.parseLong(v.trim());
                        return n < min || n > max ? "is not between " + min + " and " + max : null;
                    } catch (NumberFormatException e) {
                        return "is not a whole number";
                    }
                },
                List.of());
    }

    /** A whole-number setting that mirrors a kinesis-put component option: its default, and it sets the option. */
    static Setting integer(String key, KinesisPutOption option, long min, long max, String description) {
        return integer(key, option.defaultValue(), min, max, description).sets(option.camelKey());
    }

    static Setting port(String key, String defaultValue, String description) {
        return new Setting(
                key,
                defaultValue,
                description,
                v -> {
                    try {
                        int n = Integer.parseInt(v.trim());
                        return n < 1 || n > 65535 ? "is not a port number (1-65535)" : null;
                    } catch (NumberFormatException e) {
                        return "is not a port number (1-65535)";
                    }
                },
                List.of());
    }

    static Setting oneOf(String key, String defaultValue, List<String> values, String description) {
        return new Setting(
                key,
                defaultValue,
                description,
                v -> values.contains(v.trim().toLowerCase(Locale.ROOT))
                        ? null
                        : "is not one of " + String.join(", ", values),
                List.of());
    }

    /** A choice that mirrors a kinesis-put component option: its default, and it sets the option. */
    static Setting oneOf(String key, KinesisPutOption option, List<String> values, String description) {
        return oneOf(key, option.defaultValue(), values, description).sets(option.camelKey());
    }

    static Setting custom(String key, String defaultValue, String description, Function<String, String> check) {
        return new Setting(key, defaultValue, description, check, List.of());
    }
}
