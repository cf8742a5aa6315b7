#!/usr/bin/env node
// Captures reference answers from a RUNNING kinesalite (3.3.3) for the Java tests.
// It starts nothing itself; it only talks to http://127.0.0.1:<port>/ (JSON protocol).
//
// Usage: node capture-reference.js [port]      (or KINESALITE_PORT=4568 node capture-reference.js)
// Writes next to this script: shard-routing.csv, explicit-hash-routing.csv, shard-ranges.csv,
// errors.json. See README.md in this directory.
'use strict'

const http = require('http')
const fs = require('fs')
const path = require('path')

const PORT = Number(process.argv[2] || process.env.KINESALITE_PORT || 4568)
const HOST = '127.0.0.1'
const OUT = __dirname
const SHARD_COUNTS = [1, 2, 3, 4, 16]
const EXPLICIT_SHARD_COUNTS = [1, 2, 3, 4, 16]
const ERR_STREAM = 'errs'
const POW_128 = 1n << 128n
const MAX_HASH = POW_128 - 1n

const agent = new http.Agent({keepAlive: true, maxSockets: 1})

// ---------------------------------------------------------------- HTTP
function call(operation, body) {
  const payload = typeof body === 'string' ? body : JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: HOST,
      port: PORT,
      method: 'POST',
      path: '/',
      agent,
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'Kinesis_20131202.' + operation,
        'X-Amz-Date': '20261125T120000Z',
        'Authorization': 'AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/kinesis/aws4_request, ' +
          'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abcd',
        'Content-Length': Buffer.byteLength(payload, 'utf8'),
      },
    }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json = null
        try { json = text ? JSON.parse(text) : null } catch (e) { json = {raw: text} }
        resolve({status: res.statusCode, body: json})
      })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

async function ok(operation, body) {
  const r = await call(operation, body)
  if (r.status !== 200) {
    throw new Error(operation + ' failed: ' + r.status + ' ' + JSON.stringify(r.body))
  }
  return r.body
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// ---------------------------------------------------------------- streams
async function ensureStream(name, shardCount) {
  const r = await call('CreateStream', {StreamName: name, ShardCount: shardCount})
  if (r.status !== 200 && !(r.body && r.body.__type === 'ResourceInUseException')) {
    throw new Error('CreateStream ' + name + ': ' + r.status + ' ' + JSON.stringify(r.body))
  }
  for (let i = 0; i < 200; i++) {
    const d = await ok('DescribeStream', {StreamName: name})
    const desc = d.StreamDescription
    if (desc.StreamStatus === 'ACTIVE') {
      const open = desc.Shards.filter((s) => s.SequenceNumberRange.EndingSequenceNumber == null)
      if (open.length !== shardCount || desc.HasMoreShards) {
        throw new Error('stream ' + name + ' exists with ' + open.length + ' open shards, want ' +
          shardCount + ' (restart kinesalite for a clean run)')
      }
      return open
    }
    await sleep(20)
  }
  throw new Error('stream ' + name + ' never became ACTIVE')
}

// ---------------------------------------------------------------- routing keys
function partitionKeys() {
  const keys = ['user-42', 'a', '0', 'partitionKey']
  for (let i = 1; i <= 30; i++) keys.push('user-' + i)
  keys.push(
    'ключ',                    // Cyrillic
    '日本語',                   // CJK
    '😀😀',                     // emoji (surrogate pairs)
    '😀'.repeat(128),           // 256 UTF-16 units, 512 UTF-8 bytes: the longest emoji key allowed
    'ü',                       // U+00FC precomposed
    'u\u0308',                 // u + combining diaeresis (must NOT be normalised)
    'Ω≈ç√∫',
    'k'.repeat(256),           // longest key allowed
    'hello world',
    'a/b:c',
    'a;b|c',
    '#tag?x=1&y=2',
    'key.with.dots_and-dashes',
    'MiXeDcAsE',
    'A',
    '1',
    '00',
    '340282366920938463463374607431768211455',
    'f3a9c1e2-7b4d-4e8a-9c0d-1e2f3a4b5c6d',
    '9b2e4c1a-0d3f-4a6b-8e7c-5f1d2a3b4c5e',
    'x7Qp9LmZ',
    'q8Zr2VtK0wYb',
    'sensor-7f3a:temp',
    'orderId=98765',
    'Zz9-_~.!@$%^*()',
  )
  for (const k of keys) {
    if (/[,"\r\n]/.test(k)) throw new Error('key not CSV-safe: ' + k)
    if (k.length < 1 || k.length > 256) throw new Error('key length out of range: ' + k)
  }
  if (new Set(keys).size !== keys.length) throw new Error('duplicate keys')
  return keys
}

// ---------------------------------------------------------------- routing capture
async function captureRouting(shardsByCount) {
  const keys = partitionKeys()
  const rows = ['shards,partitionKey,shardId']
  for (const n of SHARD_COUNTS) {
    for (const key of keys) {
      const r = await ok('PutRecord', {StreamName: 'route-' + n, PartitionKey: key, Data: 'AA=='})
      rows.push(n + ',' + key + ',' + r.ShardId)
    }
  }
  fs.writeFileSync(path.join(OUT, 'shard-routing.csv'), rows.join('\n') + '\n', 'utf8')
  return rows.length - 1
}

async function captureExplicit(shardsByCount) {
  const rows = ['shards,explicitHashKey,shardId']
  for (const n of EXPLICIT_SHARD_COUNTS) {
    const values = [0n, 1n, MAX_HASH]
    for (const s of shardsByCount[n]) {
      const start = BigInt(s.HashKeyRange.StartingHashKey)
      const end = BigInt(s.HashKeyRange.EndingHashKey)
      values.push(start, end)
      if (end + 1n <= MAX_HASH) values.push(end + 1n) // 2^128 itself is an error case (errors.json)
    }
    const seen = new Set()
    const unique = values.filter((v) => (seen.has(v) ? false : (seen.add(v), true)))
    unique.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
    for (const v of unique) {
      const r = await ok('PutRecord', {
        StreamName: 'route-' + n, PartitionKey: 'explicit', ExplicitHashKey: v.toString(), Data: 'AA==',
      })
      rows.push(n + ',' + v.toString() + ',' + r.ShardId)
    }
  }
  fs.writeFileSync(path.join(OUT, 'explicit-hash-routing.csv'), rows.join('\n') + '\n', 'utf8')
  return rows.length - 1
}

function writeRanges(shardsByCount) {
  const rows = ['shards,shardId,startingHashKey,endingHashKey']
  for (const n of SHARD_COUNTS) {
    for (const s of shardsByCount[n]) {
      rows.push([n, s.ShardId, s.HashKeyRange.StartingHashKey, s.HashKeyRange.EndingHashKey].join(','))
    }
  }
  fs.writeFileSync(path.join(OUT, 'shard-ranges.csv'), rows.join('\n') + '\n', 'utf8')
  return rows.length - 1
}

// ---------------------------------------------------------------- error cases
const D = 'AA==' // one zero byte
const S = ERR_STREAM
const TWO_128 = POW_128.toString() // 340282366920938463463374607431768211456

// differsFromAws: set where kinesis-semantics.md says kinesalite's answer is not AWS's.
function errorCases() {
  const big = Buffer.alloc(1048577).toString('base64')
  const max = Buffer.alloc(1048576).toString('base64')
  const entry = {PartitionKey: 'k', Data: D}
  const pr = (name, request, extra) => Object.assign({name, operation: 'PutRecord', request}, extra)
  const prs = (name, request, extra) => Object.assign({name, operation: 'PutRecords', request}, extra)
  const EHK_PATTERN = 'AWS anchors the pattern 0|([1-9]\\d{0,38}) to the whole string and answers ' +
    'ValidationException (Member must satisfy regular expression pattern); kinesalite anchors only ' +
    'the first alternative at the start and the second at the end'
  return [
    // PartitionKey
    pr('partition-key-empty', {StreamName: S, PartitionKey: '', Data: D}),
    pr('partition-key-257-chars', {StreamName: S, PartitionKey: 'k'.repeat(257), Data: D}),
    pr('partition-key-256-chars-accepted', {StreamName: S, PartitionKey: 'k'.repeat(256), Data: D}),
    pr('partition-key-128-emoji-accepted', {StreamName: S, PartitionKey: '😀'.repeat(128), Data: D}),
    pr('partition-key-129-emoji', {StreamName: S, PartitionKey: '😀'.repeat(129), Data: D}),
    pr('partition-key-absent', {StreamName: S, Data: D}),
    pr('partition-key-json-null', {StreamName: S, PartitionKey: null, Data: D}),
    pr('partition-key-number', {StreamName: S, PartitionKey: 42, Data: D}),
    // Data
    pr('data-absent', {StreamName: S, PartitionKey: 'k'}),
    pr('data-1048577-bytes', {StreamName: S, PartitionKey: 'k', Data: big},
      {requestDescription: {StreamName: S, PartitionKey: 'k', Data: '<base64 of 1048577 zero bytes>'}}),
    pr('data-1048576-bytes-plus-key-accepted', {StreamName: S, PartitionKey: 'k', Data: max},
      {requestDescription: {StreamName: S, PartitionKey: 'k', Data: '<base64 of 1048576 zero bytes>'},
        differsFromAws: 'AWS counts the partition key\'s UTF-8 bytes in the 1 MiB record limit ' +
          '(1 + 1048576 > 1048576) and rejects; kinesalite accepts'}),
    pr('data-not-base64-bang3', {StreamName: S, PartitionKey: 'k', Data: '!!!'}),
    pr('data-not-base64-bang4', {StreamName: S, PartitionKey: 'k', Data: '!!!!'}),
    pr('data-bad-length-abc', {StreamName: S, PartitionKey: 'k', Data: 'abc'}),
    pr('data-bad-last-char', {StreamName: S, PartitionKey: 'k', Data: 'AB=='}),
    pr('data-number', {StreamName: S, PartitionKey: 'k', Data: 42}),
    // StreamName
    pr('stream-name-absent', {PartitionKey: 'k', Data: D}),
    pr('stream-name-empty', {StreamName: '', PartitionKey: 'k', Data: D}),
    pr('stream-name-bad-char', {StreamName: 'bad name!', PartitionKey: 'k', Data: D}),
    pr('stream-name-129-chars', {StreamName: 's'.repeat(129), PartitionKey: 'k', Data: D}),
    pr('stream-name-128-chars-missing', {StreamName: 's'.repeat(128), PartitionKey: 'k', Data: D}),
    pr('stream-missing', {StreamName: 'no-such-stream', PartitionKey: 'k', Data: D}),
    // ExplicitHashKey
    pr('explicit-hash-key-01', {StreamName: S, PartitionKey: 'k', ExplicitHashKey: '01', Data: D},
      {differsFromAws: EHK_PATTERN}),
    pr('explicit-hash-key-1.5', {StreamName: S, PartitionKey: 'k', ExplicitHashKey: '1.5', Data: D},
      {differsFromAws: EHK_PATTERN}),
    pr('explicit-hash-key-minus-1', {StreamName: S, PartitionKey: 'k', ExplicitHashKey: '-1', Data: D},
      {differsFromAws: EHK_PATTERN}),
    pr('explicit-hash-key-0x10', {StreamName: S, PartitionKey: 'k', ExplicitHashKey: '0x10', Data: D},
      {differsFromAws: EHK_PATTERN}),
    pr('explicit-hash-key-abc', {StreamName: S, PartitionKey: 'k', ExplicitHashKey: 'abc', Data: D}),
    pr('explicit-hash-key-empty', {StreamName: S, PartitionKey: 'k', ExplicitHashKey: '', Data: D}),
    pr('explicit-hash-key-2^128', {StreamName: S, PartitionKey: 'k', ExplicitHashKey: TWO_128, Data: D}),
    pr('explicit-hash-key-2^128-1-accepted',
      {StreamName: S, PartitionKey: 'k', ExplicitHashKey: MAX_HASH.toString(), Data: D}),
    pr('explicit-hash-key-39-nines',
      {StreamName: S, PartitionKey: 'k', ExplicitHashKey: '9'.repeat(39), Data: D}),
    pr('explicit-hash-key-40-digits-10^39',
      {StreamName: S, PartitionKey: 'k', ExplicitHashKey: '1' + '0'.repeat(39), Data: D}),
    pr('explicit-hash-key-40-digits-mixed',
      {StreamName: S, PartitionKey: 'k', ExplicitHashKey: '1234567890123456789012345678901234567890', Data: D},
      {differsFromAws: EHK_PATTERN + ' (a 40-digit value fails AWS\'s pattern; kinesalite matches the ' +
        'last 39 digits and then range-checks)'}),
    pr('explicit-hash-key-number', {StreamName: S, PartitionKey: 'k', ExplicitHashKey: 5, Data: D}),
    // SequenceNumberForOrdering
    pr('sequence-number-for-ordering-abc',
      {StreamName: S, PartitionKey: 'k', SequenceNumberForOrdering: 'abc', Data: D}),
    pr('sequence-number-for-ordering-01',
      {StreamName: S, PartitionKey: 'k', SequenceNumberForOrdering: '01', Data: D},
      {differsFromAws: 'AWS anchors the pattern 0|([1-9]\\d{0,128}) to the whole string and answers ' +
        'ValidationException for 01; kinesalite\'s regex accepts it'}),
    // several errors at once (order of errors in the message)
    pr('multi-absent-key-data-stream', {}),
    pr('multi-empty-key-bad-ehk-bad-stream-bad-seq', {
      StreamName: 'bad name!', PartitionKey: '', ExplicitHashKey: 'abc', SequenceNumberForOrdering: 'abc', Data: D,
    }),
    pr('multi-all-fields-worst', {
      StreamName: '', PartitionKey: 'k'.repeat(257), ExplicitHashKey: 'x', SequenceNumberForOrdering: 'x',
      Data: big,
    }, {requestDescription: {StreamName: '', PartitionKey: '<k repeated 257>', ExplicitHashKey: 'x',
      SequenceNumberForOrdering: 'x', Data: '<base64 of 1048577 zero bytes>'}}),
    pr('serialization-error-wins-over-validation', {PartitionKey: 42, Data: D}),
    pr('missing-stream-with-bad-ehk-range',
      {StreamName: 'no-such-stream', PartitionKey: 'k', ExplicitHashKey: TWO_128, Data: D}),

    // PutRecords
    prs('put-records-0-records', {StreamName: S, Records: []}),
    prs('put-records-501-records', {StreamName: S, Records: Array.from({length: 501}, () => entry)},
      {requestDescription: {StreamName: S, Records: '<501 x {"PartitionKey":"k","Data":"AA=="}>'}}),
    prs('put-records-records-absent', {StreamName: S}),
    prs('put-records-records-not-a-list', {StreamName: S, Records: 'x'}),
    prs('put-records-entry-empty-key', {StreamName: S, Records: [{PartitionKey: '', Data: D}]}),
    prs('put-records-entries-1-and-3-invalid', {StreamName: S, Records: [
      {PartitionKey: '', Data: D}, entry, {PartitionKey: 'k'.repeat(257)},
    ]}),
    prs('put-records-entry-2-ehk-2^128', {StreamName: S, Records: [
      entry, {PartitionKey: 'k', ExplicitHashKey: TWO_128, Data: D},
    ]}),
    prs('put-records-entry-ehk-01', {StreamName: S, Records: [
      {PartitionKey: 'k', ExplicitHashKey: '01', Data: D},
    ]}, {differsFromAws: EHK_PATTERN}),
    prs('put-records-entry-data-1048577-bytes', {StreamName: S, Records: [{PartitionKey: 'k', Data: big}]},
      {requestDescription: {StreamName: S, Records: [{PartitionKey: 'k', Data: '<base64 of 1048577 zero bytes>'}]}}),
    prs('put-records-stream-missing', {StreamName: 'no-such-stream', Records: [entry]}),
    prs('put-records-bad-stream-and-entry', {StreamName: 'bad name!', Records: [{PartitionKey: '', Data: D}]}),
    prs('put-records-19-errors-capped-at-10', {StreamName: 'bad name!', Records:
      Array.from({length: 6}, () => ({ExplicitHashKey: 'abc'}))}),
  ]
}

function summarize(c, r) {
  const out = {name: c.name, operation: c.operation}
  out.request = c.requestDescription || c.request
  if (c.requestDescription) out.requestAbbreviated = true
  out.status = r.status
  const b = r.body || {}
  if (r.status === 200) {
    out.type = null
    out.message = null
    out.messageField = null
    out.response = b.ShardId ? {ShardId: b.ShardId} :
      b.Records ? {FailedRecordCount: b.FailedRecordCount, ShardIds: b.Records.map((x) => x.ShardId)} : b
  } else {
    out.type = b.__type === undefined ? null : b.__type
    const field = 'message' in b ? 'message' : 'Message' in b ? 'Message' : null
    out.message = field ? b[field] : null
    out.messageField = field
    // The 501-record answer echoes the entry's toString 501 times (~32 KB): keep the file small.
    const repeated = /\[([^,\[\]]+)((?:, \1)+)\]/
    if (out.message && out.message.length > 4000 && repeated.test(out.message)) {
      out.messageLength = out.message.length
      out.message = out.message.replace(repeated, (m, item) =>
        '[<' + m.slice(1, -1).split(', ').length + ' x ' + item + ' joined by ", ">]')
      out.messageAbbreviated = true
    }
  }
  if (c.differsFromAws) out.differsFromAws = c.differsFromAws
  return out
}

async function captureErrors() {
  const results = []
  for (const c of errorCases()) {
    const r = await call(c.operation, c.request)
    results.push(summarize(c, r))
  }
  fs.writeFileSync(path.join(OUT, 'errors.json'), JSON.stringify(results, null, 2) + '\n', 'utf8')
  return results
}

// ---------------------------------------------------------------- main
async function main() {
  const shardsByCount = {}
  for (const n of SHARD_COUNTS) shardsByCount[n] = await ensureStream('route-' + n, n)
  await ensureStream(ERR_STREAM, 1)

  const ranges = writeRanges(shardsByCount)
  const routing = await captureRouting(shardsByCount)
  const explicit = await captureExplicit(shardsByCount)
  const errors = await captureErrors()
  agent.destroy()
  console.log('shard-ranges.csv: ' + ranges + ' rows')
  console.log('shard-routing.csv: ' + routing + ' rows')
  console.log('explicit-hash-routing.csv: ' + explicit + ' rows')
  console.log('errors.json: ' + errors.length + ' cases')
}

main().catch((e) => {
  console.error(e && e.stack || e)
  process.exit(1)
})
