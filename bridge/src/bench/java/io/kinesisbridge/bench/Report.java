package io.kinesisbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every figure of a run, each with its unit, its target from issue 6 when it has one (and whether it is met) and
 * its ratio to the same-run floor; printed as a table and written as JSON.
 */
final class Report {

    /** One figure. {@code met} is empty when the figure has no target. */
    record Row(
            String id,
            String caseName,
            String what,
            double value,
            String unit,
            String target,
            Optional<Boolean> met,
            String note) {}

    private final Map<String, Object> run = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    void about(String key, Object value) {
        run.put(key, value);
    }

    Row add(String id, String caseName, String what, double value, String unit, String note) {
        Row r = new Row(id, caseName, what, value, unit, "", Optional.empty(), note);
        rows.add(r);
        return r;
    }

    /** A figure with a lower bound. */
    Row atLeast(
            String id,
            String caseName,
            String what,
            double value,
            String unit,
            double bound,
            String target,
            String note) {
        Row r = new Row(id, caseName, what, value, unit, target, Optional.of(value >= bound), note);
        rows.add(r);
        return r;
    }

    /** A figure with an upper bound. */
    Row atMost(
            String id,
            String caseName,
            String what,
            double value,
            String unit,
            double bound,
            String target,
            String note) {
        Row r = new Row(id, caseName, what, value, unit, target, Optional.of(value <= bound), note);
        rows.add(r);
        return r;
    }

    void problem(String text) {
        problems.add(text);
    }

    List<Row> rows() {
        return rows;
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    void print(PrintStream out) {
        out.println();
        run.forEach((k, v) -> out.printf(Locale.ROOT, "%-12s %s%n", k + ":", v));
        out.println();
        out.print(markdown());
        if (!problems.isEmpty()) {
            out.println();
            problems.forEach(p -> out.println("problem: " + p));
        }
    }

    /** The table as Markdown, for the README. */
    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| case | figure | value | target | met | note |\n|---|---|---:|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ")
                    .append(r.caseName())
                    .append(" | ")
                    .append(r.what())
                    .append(" | ")
                    .append(format(r.value()))
                    .append(r.unit().isEmpty() ? "" : " " + r.unit())
                    .append(" | ")
                    .append(r.target())
                    .append(" | ")
                    .append(r.met().map(m -> m ? "yes" : "**no**").orElse(""))
                    .append(" | ")
                    .append(r.note())
                    .append(" |\n");
        }
        return b.toString();
    }

    void writeJson(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>(run);
        List<Map<String, Object>> figures = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("id", r.id());
            f.put("case", r.caseName());
            f.put("figure", r.what());
            f.put("value", Double.isNaN(r.value()) ? null : r.value());
            f.put("unit", r.unit());
            f.put("target", r.target().isEmpty() ? null : r.target());
            f.put("met", r.met().orElse(null));
            f.put("note", r.note().isEmpty() ? null : r.note());
            figures.add(f);
        }
        json.put("figures", figures);
        json.put("problems", problems);
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        Files.writeString(file.resolveSibling("bench-results.md"), markdown());
    }
}
