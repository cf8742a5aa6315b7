package io.kinesisbridge.app;

import io.kinesisbridge.backend.fault.FaultSettings;
import io.kinesisbridge.source.mqtt.TopicFilters;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks of the settings whose values have a syntax of their own; each returns null when the value is fine,
 * otherwise what is wrong with it, for the message that names the key.
 */
final class SettingChecks {

    private SettingChecks() {}

    /** The items of a comma-separated setting, trimmed, empty ones dropped. */
    static List<String> commaList(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .toList();
    }

    static String url(String value) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(value);
            return (uri.getScheme() != null
                                    && (uri.getScheme().equals("http")
                                            || uri.getScheme().equals("https")))
                            && uri.getHost() != null
                    ? null
                    : "is not an http:// or https:// URL";
        } catch (URISyntaxException e) {
            return "is not an http:// or https:// URL";
        }
    }

    static String share(String value) {
        try {
            double rate = Double.parseDouble(value.trim());
            return rate >= 0 && rate <= 1 ? null : "is not a share between 0 and 1";
        } catch (NumberFormatException e) {
            return "is not a share between 0 and 1 (such as 0.05)";
        }
    }

    static String faultErrors(String value) {
        List<String> codes = commaList(value);
        return !codes.isEmpty() && FaultSettings.ALLOWED_ERRORS.containsAll(codes)
                ? null
                : "is not a comma-separated list of " + String.join(", ", FaultSettings.ALLOWED_ERRORS);
    }

    static String topicFilters(String value) {
        List<String> filters = commaList(value);
        if (filters.isEmpty()) {
            return "names no topic filter";
        }
        try {
            filters.forEach(TopicFilters::check);
            return null;
        } catch (IllegalArgumentException e) {
            return "is not valid: " + e.getMessage();
        }
    }

    static String regex(String value) {
        try {
            Pattern.compile(value);
            return null;
        } catch (PatternSyntaxException e) {
            return "is not a regular expression: " + e.getDescription();
        }
    }

    static String streams(String value) {
        try {
            StreamSpec.parseList(value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    static String memorySize(String value) {
        return memorySize(value, Runtime.getRuntime().maxMemory()).isPresent()
                ? null
                : "is not a size such as 25%, 512m or 1073741824";
    }

    static String roleArn(String value) {
        return value.isEmpty() || value.startsWith("arn:")
                ? null
                : "is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)";
    }

    static String roleSessionName(String value) {
        return value.matches("[\\w+=,.@-]{2,64}")
                ? null
                : "is not a session name (2-64 of letters, digits and +=,.@_-)";
    }

    static String urlPath(String value) {
        return value.startsWith("/") ? null : "must start with /";
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
}
