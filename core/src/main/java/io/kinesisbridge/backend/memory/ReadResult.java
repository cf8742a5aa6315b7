package io.kinesisbridge.backend.memory;

import java.util.List;
import java.util.Optional;

/**
 * GetRecords' answer: the records, where to read next (empty once a closed shard is read to its end), and how
 * far behind the shard's tip the reader is.
 */
public record ReadResult(List<StreamRecord> records, Optional<ShardPosition> next, long millisBehindLatest) {}
