// Drives the AWS SDK for JavaScript v3 (@aws-sdk/client-kinesis) against a Kinesis endpoint as an application would:
// CreateStream and its waiter, PutRecords, PutRecord chained by SequenceNumberForOrdering, and a GetRecords loop
// per shard. Prints one JSON object with what it saw; the Java test (AwsSdkJsEndpointIT) checks it.
// Usage: AWS_SDK_JS_DIR=<dir holding node_modules> node aws-sdk-js-roundtrip.cjs <endpoint url> <stream> <records>
'use strict';

const sdk = require(require.resolve('@aws-sdk/client-kinesis', { paths: [process.env.AWS_SDK_JS_DIR] }));
const { KinesisClient, CreateStreamCommand, DescribeStreamCommand, PutRecordsCommand, PutRecordCommand,
  GetShardIteratorCommand, GetRecordsCommand, waitUntilStreamExists } = sdk;

async function main() {
  const [url, stream, count] = process.argv.slice(2);
  const client = new KinesisClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const out = { stream };

  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 2 }));
  out.statusAfterCreate = (await client.send(new DescribeStreamCommand({ StreamName: stream }))).StreamDescription.StreamStatus;
  const waited = await waitUntilStreamExists({ client, minDelay: 1, maxDelay: 1, maxWaitTime: 60 }, { StreamName: stream });
  out.waiterState = waited.state;
  const shards = (await client.send(new DescribeStreamCommand({ StreamName: stream }))).StreamDescription.Shards;
  out.shards = shards.map((s) => ({ shardId: s.ShardId, starting: s.SequenceNumberRange.StartingSequenceNumber }));

  const entries = [];
  for (let i = 0; i < Number(count); i++) {
    entries.push({ PartitionKey: 'user-' + (i % 7), Data: Buffer.from('event ' + i) });
  }
  const put = await client.send(new PutRecordsCommand({ StreamName: stream, Records: entries }));
  out.failedRecordCount = put.FailedRecordCount;

  const first = await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'chain', Data: Buffer.from('chain 0') }));
  const second = await client.send(new PutRecordCommand({
    StreamName: stream, PartitionKey: 'chain', Data: Buffer.from('chain 1'), SequenceNumberForOrdering: first.SequenceNumber,
  }));
  out.chained = [first.SequenceNumber, second.SequenceNumber];

  out.records = [];
  for (const shard of shards) {
    // from just after the shard's starting number: the shard's first record must come back
    let iterator = (await client.send(new GetShardIteratorCommand({
      StreamName: stream, ShardId: shard.ShardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
      StartingSequenceNumber: shard.SequenceNumberRange.StartingSequenceNumber,
    }))).ShardIterator;
    for (let calls = 0; iterator && calls < 100; calls++) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 25 }));
      for (const r of page.Records) {
        out.records.push({ shardId: shard.ShardId, sequenceNumber: r.SequenceNumber, partitionKey: r.PartitionKey,
          data: Buffer.from(r.Data).toString('utf8') });
      }
      if (page.Records.length === 0 && page.MillisBehindLatest === 0) {
        break;
      }
      iterator = page.NextShardIterator;
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write((e && e.name ? e.name + ': ' : '') + (e && e.message ? e.message : String(e)) + '\n');
  process.exit(1);
});
