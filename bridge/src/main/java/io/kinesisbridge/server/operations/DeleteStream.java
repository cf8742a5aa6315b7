package io.kinesisbridge.server.operations;

import static io.kinesisbridge.server.Replies.done;

import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.WireFormat;
import java.util.concurrent.CompletableFuture;

/** DeleteStream: the stream goes to DELETING, then away. */
final class DeleteStream extends Operation {

    private static final RequestShape REQUEST = RequestShape.of(
            NameMembers.streamName(),
            Member.bool("EnforceConsumerDeletion")); // read for its type only: there are no consumers to enforce

    DeleteStream(OperationContext context) {
        super(context, REQUEST);
    }

    @Override
    public CompletableFuture<Reply> answer(WireFormat f, RequestValues r) {
        String streamName = r.string("StreamName");
        synchronized (context.streamModes) {
            context.store.deleteStream(streamName, context.store.settings().deleteDelay());
            context.streamModes.remove(streamName);
        }
        return done(Reply.ok(f, new byte[0]));
    }
}
