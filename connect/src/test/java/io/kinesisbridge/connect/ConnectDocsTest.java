package io.kinesisbridge.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/**
 * docs/kafka-connect.md holds the configuration table as the ConfigDef declares it; {@code -Ddocs.update=true}
 * rewrites it after a change.
 */
class ConnectDocsTest {

    private static final boolean UPDATE = Boolean.getBoolean("docs.update");
    private static final Path DOC = Path.of("docs/kafka-connect.md");

    @Test
    void kafkaConnectDoc_holdsTheConfigurationTable_asTheConfigDefDeclaresIt() throws IOException {
        String text = Files.readString(DOC);
        String begin = "<!-- generated:connect-config (ConnectDocsTest; -Ddocs.update=true rewrites it) -->\n";
        String end = "<!-- end:connect-config -->";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertThat(from).as("%s has the table's begin marker", DOC).isNotNegative();
        assertThat(to).as("%s has the table's end marker", DOC).isGreaterThan(from);
        String expected = table(KinesisSinkConfig.CONFIG_DEF);
        String actual = text.substring(from + begin.length(), to);
        if (UPDATE && !actual.equals(expected)) {
            Files.writeString(DOC, text.substring(0, from + begin.length()) + expected + text.substring(to));
            return;
        }
        assertThat(actual)
                .as(
                        "the configuration table of %s (mvn test -Dtest=ConnectDocsTest -Ddocs.update=true "
                                + "rewrites it)",
                        DOC)
                .isEqualTo(expected);
    }

    static String table(ConfigDef def) {
        StringBuilder t = new StringBuilder("| key | default | valid values | what |\n|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            t.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(code(defaultText(key.defaultValue)))
                    .append(" | ")
                    .append(cell(key.validator == null ? "" : key.validator.toString()))
                    .append(" | ")
                    .append(cell(key.documentation))
                    .append(" |\n");
        }
        return t.toString();
    }

    private static String defaultText(Object value) {
        if (value == null || value instanceof Password) {
            return "";
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static String code(String value) {
        return value.isEmpty() ? "" : "`" + value + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
