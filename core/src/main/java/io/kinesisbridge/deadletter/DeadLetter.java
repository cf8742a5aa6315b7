package io.kinesisbridge.deadletter;

import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRequest;
import java.time.Instant;

/** A record the bridge gave up on: the request as it would be sent, why, after how many sends, and when. */
public record DeadLetter(Instant time, String streamName, PutRequest request, KinesisError error, int attempts) {}
