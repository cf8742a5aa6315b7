package io.kinesisbridge.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class RecordKeySourceTest {

    private static SinkRecord record(Object key, Object value) {
        return new SinkRecord("orders", 3, null, key, null, value, 42);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void recordKey_takesStringsBytesAndNumbers_asText() {
        RecordKeySource key = RecordKeySource.parse("record-key");

        assertThat(key.extract(record("user-1", "v"), utf8("v"))).contains("user-1");
        assertThat(key.extract(record(utf8("user-2"), "v"), utf8("v"))).contains("user-2");
        assertThat(key.extract(record(ByteBuffer.wrap(utf8("user-3")), "v"), utf8("v")))
                .contains("user-3");
        assertThat(key.extract(record(17L, "v"), utf8("v"))).contains("17");
        assertThat(key.extract(record(Map.of("id", 5), "v"), utf8("v"))).contains("{\"id\":5}");
    }

    @Test
    void recordKey_nullOrEmpty_isNoKey() {
        RecordKeySource key = RecordKeySource.parse("record-key");

        assertThat(key.extract(record(null, "v"), utf8("v"))).isEmpty();
        assertThat(key.extract(record("", "v"), utf8("v"))).isEmpty();
    }

    @Test
    void recordKey_aStruct_isRefusedWithTheConverterAdvice() {
        Schema schema = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
        Struct struct = new Struct(schema).put("id", "x");

        assertThatThrownBy(() -> RecordKeySource.parse("record-key").extract(record(struct, "v"), utf8("v")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schemas.enable=false");
    }

    @Test
    void jsonPointer_readsTheScalarFromTheData() {
        RecordKeySource key = RecordKeySource.parse("json:/user/id");

        assertThat(key.extract(record(null, "x"), utf8("{\"user\":{\"id\":\"u-9\"},\"n\":1}")))
                .contains("u-9");
        assertThat(key.extract(record(null, "x"), utf8("{\"user\":{\"id\":12}}")))
                .contains("12");
        assertThat(key.extract(record(null, "x"), utf8("{\"user\":{}}"))).isEmpty();
        assertThatThrownBy(() -> key.extract(record(null, "x"), utf8("not json")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void header_takesTheLastHeaderOfThatName() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("tenant", "a");
        headers.addString("tenant", "b");
        headers.addBytes("raw", utf8("r-1"));
        SinkRecord r = new SinkRecord("orders", 0, null, null, null, "v", 1, null, null, headers);

        assertThat(RecordKeySource.parse("header:tenant").extract(r, utf8("v"))).contains("b");
        assertThat(RecordKeySource.parse("header:raw").extract(r, utf8("v"))).contains("r-1");
        assertThat(RecordKeySource.parse("header:missing").extract(r, utf8("v")))
                .isEmpty();
    }

    @Test
    void topicPartition_namesTheRecordsPartition() {
        assertThat(RecordKeySource.parse("topic-partition").extract(record(null, "v"), utf8("v")))
                .contains("orders-3");
    }

    @Test
    void hash_isTheHexMd5OfTheData() {
        assertThat(RecordKeySource.parse("hash").extract(record(null, "v"), utf8("hello")))
                .contains("5d41402abc4b2a76b9719d911017c592");
    }

    @Test
    void random_givesADifferentKeyEachTime() {
        RecordKeySource key = RecordKeySource.parse("random");
        String a = key.extract(record(null, "v"), utf8("v")).orElseThrow();
        String b = key.extract(record(null, "v"), utf8("v")).orElseThrow();

        assertThat(a).hasSize(32).isNotEqualTo(b);
    }

    @Test
    void unknownSources_areRefused_withTheSyntax() {
        for (String spec : List.of("", "key", "json:", "json:user", "header:", "const:x")) {
            assertThatThrownBy(() -> RecordKeySource.parse(spec)).as(spec).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property
    void recordKey_anyNonEmptyStringKey_isTheKeyItself(@ForAll @StringLength(min = 1, max = 300) String k) {
        assertThat(RecordKeySource.parse("record-key").extract(record(k, "v"), utf8("v")))
                .contains(k);
        assertThat(RecordKeySource.parse("record-key").extract(record(utf8(k), "v"), utf8("v")))
                .contains(new String(utf8(k), StandardCharsets.UTF_8));
    }

    @Property
    void hash_equalDataGiveEqualKeys(@ForAll byte[] data) {
        RecordKeySource hash = RecordKeySource.parse("hash");
        assertThat(hash.extract(record(null, "a"), data)).isEqualTo(hash.extract(record("other", "b"), data.clone()));
    }
}
