package io.kinesisbridge.component;

import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.JsonFieldReader;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.NoSuchLanguageException;
import org.apache.camel.spi.Language;

/**
 * Where a partition key (or an ExplicitHashKey) comes from, written as {@code kind:argument}:
 * <ul>
 *   <li>{@code const:VALUE} — always VALUE</li>
 *   <li>{@code header:NAME} — the message header NAME</li>
 *   <li>{@code json:/POINTER} — the scalar at a JSON Pointer in the record's data, e.g. {@code json:/user/id}</li>
 *   <li>{@code topic:N} — segment N (from 0) of the MQTT topic in header {@code CamelMqttTopic}</li>
 *   <li>{@code simple:EXPR}, {@code jsonpath:EXPR}, or any Camel language {@code LANG:EXPR} — the expression's value,
 *       evaluated with the record as the message body</li>
 *   <li>{@code random} — a new random key per record (spreads load, keeps no order)</li>
 *   <li>{@code hash} — the hex MD5 of the data (equal data, equal key)</li>
 * </ul>
 * An empty value counts as no value.
 */
public sealed interface KeySource {

    String MQTT_TOPIC_HEADER = "CamelMqttTopic";
    String SYNTAX = "const:VALUE, header:NAME, json:/POINTER, topic:N, simple:EXPR, jsonpath:EXPR (or another Camel "
            + "language LANG:EXPR), random or hash";

    /** The value for one record, whose data is {@code data} and whose exchange body is that record. */
    Optional<String> extract(Exchange exchange, byte[] data);

    /** Says what was looked for, for the error when nothing was found. */
    String describe();

    /** Whether the value depends on the message body (batch mode then evaluates it per record). */
    default boolean readsBody() {
        return false;
    }

    static KeySource parse(String spec, CamelContext context) {
        String s = spec.trim();
        if (s.equals("random")) {
            return new RandomKey();
        }
        if (s.equals("hash")) {
            return new DataHash();
        }
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + spec + "' is not a key source; use " + SYNTAX);
        }
        String kind = s.substring(0, colon);
        String arg = s.substring(colon + 1);
        if (arg.isEmpty()) {
            throw new IllegalArgumentException("'" + spec + "': " + kind + ": needs an argument; use " + SYNTAX);
        }
        return switch (kind) {
            case "const" -> new Constant(arg);
            case "header" -> new Header(arg);
            case "json" -> new JsonField(new JsonFieldReader(arg));
            case "topic" -> {
                try {
                    int index = Integer.parseInt(arg);
                    if (index < 0) {
                        throw new NumberFormatException();
                    }
                    yield new TopicSegment(index);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + spec + "': topic: takes a segment index from 0");
                }
            }
            default -> {
                Language language;
                try {
                    language = context.resolveLanguage(kind);
                } catch (NoSuchLanguageException e) {
                    language = null;
                }
                if (language == null) {
                    throw new IllegalArgumentException("'" + spec + "': '" + kind + "' is neither a key source nor a "
                            + "Camel language on the classpath; use " + SYNTAX);
                }
                yield new CamelExpression(kind, arg, language.createExpression(arg));
            }
        };
    }

    record Constant(String value) implements KeySource {
        public Optional<String> extract(Exchange exchange, byte[] data) {
            return Optional.of(value);
        }

        public String describe() {
            return "the constant '" + value + "'";
        }
    }

    record Header(String name) implements KeySource {
        public Optional<String> extract(Exchange exchange, byte[] data) {
            return nonEmpty(exchange.getMessage().getHeader(name, String.class));
        }

        public String describe() {
            return "header '" + name + "'";
        }
    }

    record JsonField(JsonFieldReader reader) implements KeySource {
        public Optional<String> extract(Exchange exchange, byte[] data) {
            return reader.read(data).filter(v -> !v.isEmpty());
        }

        public String describe() {
            return "JSON field " + reader.pointer() + " of the data";
        }
    }

    record TopicSegment(int index) implements KeySource {
        public Optional<String> extract(Exchange exchange, byte[] data) {
            String topic = exchange.getMessage().getHeader(MQTT_TOPIC_HEADER, String.class);
            if (topic == null) {
                return Optional.empty();
            }
            String[] segments = topic.split("/", -1);
            return index < segments.length ? nonEmpty(segments[index]) : Optional.empty();
        }

        public String describe() {
            return "segment " + index + " of the MQTT topic (header " + MQTT_TOPIC_HEADER + ")";
        }
    }

    record CamelExpression(String language, String text, Expression expression) implements KeySource {
        public Optional<String> extract(Exchange exchange, byte[] data) {
            return nonEmpty(expression.evaluate(exchange, String.class));
        }

        public String describe() {
            return language + " expression '" + text + "'";
        }

        @Override
        public boolean readsBody() {
            return true;
        }
    }

    record RandomKey() implements KeySource {
        public Optional<String> extract(Exchange exchange, byte[] data) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            return Optional.of(
                    HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextLong()));
        }

        public String describe() {
            return "a random key";
        }
    }

    record DataHash() implements KeySource {
        public Optional<String> extract(Exchange exchange, byte[] data) {
            return Optional.of(HexFormat.of().formatHex(HashKey.md5(data)));
        }

        public String describe() {
            return "the MD5 of the data";
        }
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
