package io.kinesisbridge.bench;

import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.JsonFieldReader;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordJson;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.ShardMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-record cost of the steps kinesis-put takes for every record, and the floor: MD5 of the key plus base64 of
 * the data in a plain loop, which no Kinesis producer can avoid.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordCostBenchmark {

    private static final int MIB = 1_048_576;

    private List<byte[]> events;
    private String[] keys;
    private PutRecordCommand[] commands;
    private final JsonFieldReader userId = new JsonFieldReader("/userId");
    private final ShardMap shards = ShardMap.evenSplit(4);
    private MessageDigest md5;
    private int i;

    @Setup
    public void setUp() throws Exception {
        events = BenchRecords.events(4096, 1);
        keys = new String[events.size()];
        commands = new PutRecordCommand[events.size()];
        for (int n = 0; n < events.size(); n++) {
            keys[n] = userId.read(events.get(n)).orElseThrow();
            commands[n] = PutRecordValidator.validate(PutRequest.of("clickstream", keys[n], events.get(n)), MIB);
        }
        md5 = MessageDigest.getInstance("MD5");
    }

    private int next() {
        i = (i + 1) & 4095;
        return i;
    }

    /** The floor: MD5 of the partition key and base64 of the data, nothing else. */
    @Benchmark
    public int floor_md5AndBase64() {
        int n = next();
        byte[] digest = md5.digest(keys[n].getBytes(StandardCharsets.UTF_8));
        byte[] encoded = Base64.getEncoder().encode(events.get(n));
        return digest[0] + encoded.length;
    }

    @Benchmark
    public PutRecordCommand validation() {
        int n = next();
        return PutRecordValidator.validate(PutRequest.of("clickstream", keys[n], events.get(n)), MIB);
    }

    @Benchmark
    public String keyExtraction_jsonPointer() {
        return userId.read(events.get(next())).orElseThrow();
    }

    @Benchmark
    public int md5Routing() {
        return shards.indexFor(HashKey.ofPartitionKey(keys[next()]));
    }

    @Benchmark
    public String wireEncoding_putRecordJson() {
        return PutRecordJson.write(commands[next()].toRequest());
    }

    /** What the component does per record before the dispatcher: key, validation, routing. */
    @Benchmark
    public int keyValidationAndRouting() {
        int n = next();
        byte[] data = events.get(n);
        String key = userId.read(data).orElseThrow();
        PutRecordCommand c = PutRecordValidator.validate(PutRequest.of("clickstream", key, data), MIB);
        return shards.indexFor(c.hashKey());
    }
}
