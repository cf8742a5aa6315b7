package io.kinesisbridge.put;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The constraint violations of one request, collected in AWS's order and worded as AWS words them; at most ten
 * are listed. {@link #toError()} turns them into the ValidationException Kinesis answers:
 *
 * <pre>2 validation errors detected: Value null at 'partitionKey' failed to satisfy constraint: Member must not be null; …</pre>
 *
 * Every constraint text of the Kinesis API lives here; which field gets which constraint, and in what order, is
 * decided by the caller ({@link PutRecordValidator} for the puts, the endpoint for the other operations).
 */
public final class ValidationErrors {

    private static final int MAX_LISTED = 10;

    private final List<String> items = new ArrayList<>(2);

    /** Adds one violation; {@code value} is already formatted as AWS shows it ({@code null}, {@code 'text'}). */
    public void add(String value, String field, String constraint) {
        if (!full()) {
            items.add("Value " + value + " at '" + field + "' failed to satisfy constraint: " + constraint);
        }
    }

    /** Ten violations are listed; later ones are dropped, as Kinesis drops them. */
    public boolean full() {
        return items.size() >= MAX_LISTED;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    // ---- the constraints, each checked in the order AWS checks them: null, pattern, length, value range ----

    /** Null check only; true when the value is present and the field's other checks should run. */
    public boolean notNull(String field, Object value, boolean required) {
        if (value == null) {
            if (required) {
                add("null", field, "Member must not be null");
            }
            return false;
        }
        return true;
    }

    /** A string member: null, pattern (already matched by the caller), minimum and maximum length. */
    public void string(
            String field,
            String value,
            boolean required,
            String pattern,
            boolean matchesPattern,
            int minLength,
            int maxLength) {
        if (!notNull(field, value, required)) {
            return;
        }
        if (pattern != null && !matchesPattern) {
            add(quote(value), field, "Member must satisfy regular expression pattern: " + pattern);
        }
        if (value.length() < minLength) {
            add(quote(value), field, "Member must have length greater than or equal to " + minLength);
        }
        if (value.length() > maxLength) {
            add(quote(value), field, "Member must have length less than or equal to " + maxLength);
        }
    }

    /** An integer member: null, minimum and maximum value. */
    public void integer(String field, Integer value, boolean required, long min, long max) {
        if (!notNull(field, value, required)) {
            return;
        }
        if (value < min) {
            add(quote(String.valueOf(value)), field, "Member must have value greater than or equal to " + min);
        }
        if (value > max) {
            add(quote(String.valueOf(value)), field, "Member must have value less than or equal to " + max);
        }
    }

    /** An enumerated string member: null, then one of {@code values} (listed in AWS's order). */
    public void oneOf(String field, String value, boolean required, List<String> values) {
        if (!notNull(field, value, required)) {
            return;
        }
        if (!values.contains(value)) {
            add(quote(value), field, "Member must satisfy enum value set: [" + String.join(", ", values) + "]");
        }
    }

    public static String quote(String s) {
        return "'" + s + "'";
    }

    /** The ValidationException for what was collected, if anything was. */
    public Optional<KinesisError> toError() {
        if (items.isEmpty()) {
            return Optional.empty();
        }
        int n = items.size();
        return Optional.of(new KinesisError(
                KinesisError.VALIDATION,
                n + " validation error" + (n > 1 ? "s" : "") + " detected: " + String.join("; ", items)));
    }
}
