package io.kinesisbridge.source.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * How a tailed file's text becomes record data: {@code lines} (each line as it is), {@code ndjson} (each line a
 * JSON value, passed on as it is) or {@code csv} (each line a JSON object keyed by the header's columns). A line
 * that is not what the format expects becomes {@code {"unparsed": true, "error": …, "raw": …, "file": …}}, so
 * that nothing is dropped and the reason travels with it.
 */
public enum RecordFormat {
    LINES,
    NDJSON,
    CSV;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    public static RecordFormat parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not one of lines, ndjson, csv");
        }
    }

    /**
     * @param columns the CSV columns (ignored by the other formats)
     */
    public byte[] toData(byte[] line, List<String> columns, String file) {
        return switch (this) {
            case LINES -> line;
            case NDJSON -> {
                String problem = jsonProblem(line);
                yield problem == null ? line : unparsed(line, problem, file);
            }
            case CSV -> csv(line, columns, file);
        };
    }

    private static String jsonProblem(byte[] line) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() == null) {
                return "the line holds no JSON value";
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return "more than one JSON value on the line, at column "
                        + p.currentTokenLocation().getColumnNr();
            }
            return null;
        } catch (JsonProcessingException e) {
            return "malformed JSON at column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] csv(byte[] line, List<String> columns, String file) {
        List<String> values;
        try {
            values = CsvLine.split(new String(line, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return unparsed(line, "malformed CSV: " + e.getMessage(), file);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(line.length * 2 + 16);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (int i = 0; i < values.size(); i++) {
                g.writeStringField(i < columns.size() ? columns.get(i) : "column" + (i + 1), values.get(i));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] unparsed(byte[] line, String error, String file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(line.length + 128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeBooleanField("unparsed", true);
            g.writeStringField("error", error);
            g.writeStringField("file", file);
            g.writeStringField("raw", new String(line, StandardCharsets.UTF_8));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
