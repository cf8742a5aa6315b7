package io.kinesisbridge.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark input every case shares: 200-byte JSON events with a {@code userId} drawn from 10,000 users.
 */
public final class BenchRecords {

    public static final int USERS = 10_000;
    public static final int EVENT_BYTES = 200;

    private BenchRecords() {}

    /** {@code count} events, deterministic for a seed. Each is exactly 200 bytes of UTF-8 JSON. */
    public static List<byte[]> events(int count, long seed) {
        Random random = new Random(seed);
        List<byte[]> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(i, random.nextInt(USERS)));
        }
        return events;
    }

    public static byte[] event(int sequence, int user) {
        String head = "{\"userId\":\"user-" + user + "\",\"seq\":" + sequence + ",\"page\":\"/products/"
                + (sequence % 977) + "\",\"action\":\"view\",\"pad\":\"";
        String tail = "\"}";
        int pad = EVENT_BYTES - head.length() - tail.length();
        return (head + "x".repeat(Math.max(0, pad)) + tail).getBytes(StandardCharsets.UTF_8);
    }
}
