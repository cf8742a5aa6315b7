package io.kinesisbridge.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What a stream holds per partition key, to compare with what was sent for each key, in order. */
public final class PerKeyOrder {

    private PerKeyOrder() {}

    /**
     * The data of {@code records} (in stream order, shard by shard) per partition key, adjacent repeats collapsed: a
     * resent write whose acknowledgement was lost lands right after its first copy. {@code occurrences} counts every
     * copy of each datum, so that a test can check which repeats there were.
     */
    public static <R> Map<String, List<String>> byKey(
            Iterable<R> records,
            Function<R, String> partitionKey,
            Function<R, String> data,
            Map<String, Integer> occurrences) {
        Map<String, List<String>> byKey = new HashMap<>();
        for (R r : records) {
            String datum = data.apply(r);
            occurrences.merge(datum, 1, Integer::sum);
            List<String> list = byKey.computeIfAbsent(partitionKey.apply(r), k -> new ArrayList<>());
            if (list.isEmpty() || !list.get(list.size() - 1).equals(datum)) {
                list.add(datum);
            }
        }
        return byKey;
    }
}
