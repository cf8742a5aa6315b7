package io.kinesisbridge.put;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SequenceNumberForOrdering cases kinesalite's test suite checked against AWS: what AWS takes and what it answers
 * InvalidArgumentException, by layout.
 */
class SequenceNumberTest {

    private static final long NOW = 1_767_225_600_000L; // 2026-01-01

    private static String decimal(String hex) {
        return new BigInteger(hex, 16).toString();
    }

    @Test
    void awsFiftySixDigitNumber_isVersion2_ofShardZero() {
        SequenceNumber n = SequenceNumber.parse("49039857307708443467467104868809893875799651909875269634")
                .orElseThrow();
        assertThat(n).isEqualTo(SequenceNumber.of(0, 0, 0, 0));
        assertThat(n.shardId()).isEqualTo("shardId-000000000000");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "all f,                2ffffffffff7fffffffffffffff000000000007fffffff2",
        "all 0,                20000000000000000000000000000000000000000000002",
        "all 0 with version 1, 20000000000000000000000000000000000000000000001",
        "8 near the end,       20000000000000000000000000000000000000800000002",
        "version 0,            1000000000000000000000000000000a"
    })
    void takenByAws(String name, String hex) {
        assertThat(PutRecordValidator.checkSequenceNumberForOrdering(decimal(hex), "s", "123456789012", NOW))
                .as(name)
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "last digit 0,         20000000000000000000000000000000000000000000000",
        "version 3,            20000000000000000000000000000000000000000000003",
        "version 4,            20000000000000000000000000000000000000000000004",
        "initial 3,            30000000000000000000000000000000000000000000001",
        "initial 1,            1ffffffffff7fffffffffffffff000000000007fffffff2",
        "8 in the index,       20000000000800000000000000000000000000000000002",
        "version 0 large date, 13bb2cc3d80000000000000000000000"
    })
    void refusedByAws(String name, String hex) {
        String n = decimal(hex);
        assertThat(SequenceNumber.parse(n)).as(name).isEmpty();
        assertThat(PutRecordValidator.checkSequenceNumberForOrdering(n, "s", "123456789012", NOW))
                .contains(SequenceNumberProperties.refused(n));
    }

    @Test
    void smallNumbers_areVersion0_readAs2To124More() {
        assertThat(SequenceNumber.parse("0")).contains(new SequenceNumber(0, 0, 0, 0, 0, 0, 0));
        assertThat(SequenceNumber.parse("5").orElseThrow().shardId()).isEqualTo("shardId-000000000005");
        assertThat(SequenceNumber.parse("0").orElseThrow().format())
                .isEqualTo("21267647932558653966460912964485513216");
    }

    @Test
    void aNegativeShardField_isNamedAsKinesisNamesIt() {
        SequenceNumber n = SequenceNumber.parse(decimal("20000000000000000000000000000000000000800000002"))
                .orElseThrow();
        assertThat(n.shardIndex()).isEqualTo(-0x8000_0000L);
        assertThat(n.shardId()).isEqualTo("shardId--02147483648");
    }
}
