package io.kinesisbridge.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetLedgerTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final OffsetLedger ledger = new OffsetLedger();

    @Test
    void aPendingRecord_holdsBackTheLaterSettledOnes_ofItsPartitionOnly() {
        OffsetLedger.Entry a = ledger.add(P0, 10);
        OffsetLedger.Entry b = ledger.add(P0, 11);
        OffsetLedger.Entry c = ledger.add(P0, 12);
        OffsetLedger.Entry other = ledger.add(P1, 5);
        a.settle();
        c.settle();
        other.settle();

        Map<TopicPartition, OffsetAndMetadata> offsets =
                ledger.committable(Map.of(P0, new OffsetAndMetadata(13), P1, new OffsetAndMetadata(6)));

        assertThat(offsets).containsEntry(P0, new OffsetAndMetadata(11)).containsEntry(P1, new OffsetAndMetadata(6));
        b.settle();
        assertThat(ledger.committable(Map.of(P0, new OffsetAndMetadata(13))))
                .containsEntry(P0, new OffsetAndMetadata(13));
    }

    @Test
    void aPartitionWhoseFirstRecordIsPending_offersNoOffset() {
        ledger.add(P0, 0);
        ledger.add(P0, 1).settle();

        assertThat(ledger.committable(Map.of(P0, new OffsetAndMetadata(2)))).isEmpty();
    }

    @Test
    void everyRecordSettled_offersConnectsOffset_whichCoversRecordsATransformDropped() {
        ledger.add(P0, 3).settle();

        assertThat(ledger.committable(Map.of(P0, new OffsetAndMetadata(9))))
                .containsEntry(P0, new OffsetAndMetadata(9));
    }

    @Test
    void settledIn_completesOnceEveryRecordOfThePartitionsIsSettled() {
        OffsetLedger.Entry a = ledger.add(P0, 0);
        OffsetLedger.Entry b = ledger.add(P1, 0);

        var closing = ledger.settledIn(List.of(P0));
        assertThat(closing).isNotDone();
        b.settle();
        assertThat(closing).isNotDone();
        a.settle();
        assertThat(closing).isDone();
    }
}
