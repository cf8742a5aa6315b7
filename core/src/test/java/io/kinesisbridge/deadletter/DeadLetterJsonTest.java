package io.kinesisbridge.deadletter;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeadLetterJsonTest {

    @Test
    void aLineThatIsNotJson_isRefusedSayingWhere_notQuotingWhatItHolds() {
        assertThatThrownBy(() -> DeadLetterJson.read("{\"ErrorCode\": jane.doe@example.com}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a dead letter: malformed JSON at column ")
                .hasMessageNotContaining("jane")
                .hasNoCause();
    }
}
