package io.kinesisbridge.server.operations;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.error;
import static io.kinesisbridge.server.Replies.invalidArgument;
import static io.kinesisbridge.server.Replies.reply;
import static io.kinesisbridge.server.Replies.writeShard;

import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.WireFormat;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** ListShards: one page of a stream's shards, by stream name or by the NextToken of the page before, filtered. */
final class ListShards extends Operation {

    static final int DEFAULT_LIMIT = 1000;

    private static final RequestShape REQUEST = RequestShape.of(
            NameMembers.name("ExclusiveStartShardId"),
            Member.integer("MaxResults").range(1, 10_000),
            Member.string("NextToken").length(1, 1_048_576),
            Member.structure(
                    "ShardFilter",
                    Member.string("Type")
                            .required()
                            .oneOf(List.of(
                                    "AFTER_SHARD_ID",
                                    "AT_TRIM_HORIZON",
                                    "FROM_TRIM_HORIZON",
                                    "AT_LATEST",
                                    "AT_TIMESTAMP",
                                    "FROM_TIMESTAMP")),
                    NameMembers.name("ShardId"),
                    Member.timestamp("Timestamp")),
            NameMembers.name(NameMembers.STREAM_NAME),
            Member.timestamp("StreamCreationTimestamp")); // read for its type only

    ListShards(OperationContext context) {
        super(context, REQUEST);
    }

    @Override
    public CompletableFuture<Reply> answer(WireFormat f, RequestValues r) {
        String streamName = r.string("StreamName");
        String nextToken = r.string("NextToken");
        Integer maxResults = r.integer("MaxResults");
        RequestValues filter = r.structure("ShardFilter");
        String filterType = filter == null ? null : filter.string("Type");
        String filterShardId = filter == null ? null : filter.string("ShardId");
        Instant filterTimestamp = filter == null ? null : filter.timestamp("Timestamp");
        if (streamName == null && nextToken == null) {
            return done(error(f, invalidArgument("Either NextToken or StreamName should be provided.")));
        }
        if (streamName != null && nextToken != null) {
            return done(error(f, invalidArgument("NextToken and StreamName cannot be provided together.")));
        }
        String after = r.string("ExclusiveStartShardId");
        String name = streamName;
        Optional<Long> tokenCreated = Optional.empty();
        if (nextToken != null) {
            PageTokens.ShardPage page = PageTokens.shards(nextToken);
            name = page.streamName();
            after = page.lastShardId();
            tokenCreated = Optional.of(page.streamCreatedMillis());
        }
        StreamSnapshot s = context.store.describe(name);
        if (tokenCreated.isPresent() && tokenCreated.get() != s.created().toEpochMilli()) {
            return done(error(f, context.notFound(name)));
        }
        if (!s.status().equals(StreamSnapshot.ACTIVE)) {
            return done(error(
                    f,
                    new KinesisError(
                            KinesisError.RESOURCE_IN_USE,
                            "Stream " + name + " under account " + context.accountId()
                                    + " not ACTIVE or UPDATING, instead in state " + s.status())));
        }
        if ("AFTER_SHARD_ID".equals(filterType)) {
            if (filterShardId == null) {
                return done(
                        error(f, invalidArgument("Must specify ShardId when the ShardFilter type is AFTER_SHARD_ID.")));
            }
            after = after == null || filterShardId.compareTo(after) > 0 ? filterShardId : after;
        }
        if (("AT_TIMESTAMP".equals(filterType) || "FROM_TIMESTAMP".equals(filterType)) && filterTimestamp == null) {
            return done(error(
                    f, invalidArgument("Must specify Timestamp when the ShardFilter type is " + filterType + ".")));
        }
        List<StreamSnapshot.Shard> candidates = OperationContext.shardsAfter(s.shards(), after);
        if ("AT_LATEST".equals(filterType)) {
            candidates = candidates.stream().filter(StreamSnapshot.Shard::open).toList();
        }
        int max = maxResults == null ? DEFAULT_LIMIT : maxResults;
        List<StreamSnapshot.Shard> page = candidates.subList(0, Math.min(max, candidates.size()));
        Optional<String> next = candidates.size() > page.size()
                ? Optional.of(PageTokens.shards(
                        s.streamName(),
                        s.created().toEpochMilli(),
                        page.get(page.size() - 1).shardId()))
                : Optional.empty();
        return done(reply(f, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("Shards");
            for (StreamSnapshot.Shard shard : page) {
                writeShard(g, shard);
            }
            g.writeEndArray();
            if (next.isPresent()) {
                g.writeStringField("NextToken", next.get());
            }
            g.writeEndObject();
        }));
    }
}
