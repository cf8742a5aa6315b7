package io.kinesisbridge.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads settings from the properties file, then the environment ({@code bridge.http.port} ← {@code BRIDGE_HTTP_PORT}),
 * then command-line flags; later sources win. Each {@code bridge.*} value passes its setting's check; an unknown key
 * stops the start with the nearest known key as a suggestion.
 */
final class SettingsLoader {

    /**
     * What was read.
     *
     * @param bridge every {@code bridge.*} value, defaults included, in the order of the settings
     * @param camel  the other keys ({@code camel.*} and the routes' own placeholders), for Camel
     */
    record Values(Map<String, String> bridge, Map<String, String> camel) {}

    private final Map<String, Setting> byKey = new LinkedHashMap<>();

    SettingsLoader(List<Setting> settings) {
        settings.forEach(s -> byKey.put(s.key(), s));
    }

    /** @throws InvalidSettingException naming the key and where it came from */
    Values load(Optional<Path> file, Map<String, String> environment, Map<String, String> flags) {
        Map<String, String> bridge = new LinkedHashMap<>();
        Map<String, String> camel = new TreeMap<>();
        byKey.values().forEach(s -> bridge.put(s.key(), s.defaultValue()));
        if (file.isPresent()) {
            Properties props = new Properties();
            try (Reader r = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (IOException e) {
                throw new InvalidSettingException(
                        "Cannot read the configuration file " + file.get() + ": " + e.getMessage());
            }
            for (String key : new TreeMap<>(propsAsMap(props)).keySet()) {
                put(
                        bridge,
                        camel,
                        key,
                        props.getProperty(key).trim(),
                        file.get().toString());
            }
        }
        Map<String, String> byVariable = new LinkedHashMap<>();
        byKey.values().forEach(s -> byVariable.put(s.environmentVariable(), s.key()));
        for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
            String variable = e.getKey();
            if (!variable.startsWith("BRIDGE_")
                    || variable.equals("BRIDGE_CONFIG")
                    || variable.equals("BRIDGE_ROUTES")) {
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
        return new Values(bridge, camel);
    }

    private void put(Map<String, String> bridge, Map<String, String> camel, String key, String value, String origin) {
        if (!key.startsWith("bridge.")) {
            // camel.* keys, and the user's own placeholders for their routes; a near miss of a bridge.* key is a typo
            String suggestion = key.startsWith("camel.")
                    ? ""
                    : byKey.containsKey("bridge." + key) ? "; did you mean bridge." + key + "?" : suggestion(key);
            if (!suggestion.isEmpty()) {
                throw new InvalidSettingException("Unknown setting " + key + " (from " + origin + ")" + suggestion);
            }
            camel.put(key, value);
            return;
        }
        Setting setting = byKey.get(key);
        if (setting == null) {
            throw new InvalidSettingException("Unknown setting " + key + " (from " + origin + ")" + suggestion(key));
        }
        String problem = setting.check().apply(value);
        if (problem != null) {
            throw new InvalidSettingException("Setting " + key + " (from " + origin + "): '" + value + "' " + problem);
        }
        bridge.put(key, value);
    }

    /** "; did you mean KEY?" for the known key nearest to {@code key}, when one is near enough; otherwise "". */
    private String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : byKey.keySet()) {
            int d = editDistance(key, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return best != null && bestDistance <= Math.max(3, key.length() / 4) ? "; did you mean " + best + "?" : "";
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    private static int editDistance(String a, String b) {
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
}
