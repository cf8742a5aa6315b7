package io.kinesisbridge.app;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One {@code bridge.*} setting: its key, default, description and the check its value must pass.
 *
 * @param check returns null when the value is fine, otherwise what is wrong with it ("is not a port number")
 */
public record Setting(String key, String defaultValue, String description, Function<String, String> check) {

    /** The environment variable that overrides the key: upper case, '.' and '-' turned into '_'. */
    public String environmentVariable() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static Setting text(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description, v -> null);
    }

    static Setting bool(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description,
                v -> v.equals("true") || v.equals("false") ? null : "is not true or false");
    }

    static Setting integer(String key, String defaultValue, long min, long max, String description) {
        return new Setting(key, defaultValue, description, v -> {
            try {
                long n = Long.parseLong(v.trim());
                return n < min || n > max ? "is not between " + min + " and " + max : null;
            } catch (NumberFormatException e) {
                return "is not a whole number";
            }
        });
    }

    static Setting port(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description, v -> {
            try {
                int n = Integer.parseInt(v.trim());
                return n < 1 || n > 65535 ? "is not a port number (1-65535)" : null;
            } catch (NumberFormatException e) {
                return "is not a port number (1-65535)";
            }
        });
    }

    static Setting oneOf(String key, String defaultValue, List<String> values, String description) {
        return new Setting(key, defaultValue, description,
                v -> values.contains(v.trim().toLowerCase(Locale.ROOT)) ? null : "is not one of " + String.join(", ", values));
    }

    static Setting custom(String key, String defaultValue, String description, Function<String, String> check) {
        return new Setting(key, defaultValue, description, check);
    }
}
