package io.kinesisbridge.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class RecordValuesTest {

    @Test
    void whatTheByteArrayStringAndJsonConvertersGive_becomesData() {
        byte[] raw = {1, 2, 3};
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", 7);
        json.put("tags", List.of("a", "b"));

        assertThat(RecordValues.data(raw)).isSameAs(raw);
        assertThat(RecordValues.data(ByteBuffer.wrap(raw))).containsExactly(1, 2, 3);
        assertThat(RecordValues.data("héllo")).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(RecordValues.data(json), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":7,\"tags\":[\"a\",\"b\"]}");
        assertThat(new String(RecordValues.data(12.5), StandardCharsets.UTF_8)).isEqualTo("12.5");
    }

    @Test
    void aStruct_isRefused() {
        Struct struct = new Struct(
                        SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build())
                .put("id", 1);

        assertThatThrownBy(() -> RecordValues.data(struct))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(RecordValues.STRUCT_REFUSED);
    }
}
