'use strict';
// Sends clickstream events from a web page to kinesis-bridge, three ways. No libraries, nothing fetched.
// Query parameters (?bridge=…&token=…&user=…&endpoint=…&stream=…) fill the fields, so a link can set them.

const field = id => document.getElementById(id);
const params = new URLSearchParams(location.search);
for (const id of ['bridge', 'token', 'user', 'endpoint', 'stream']) {
  if (params.has(id)) field(id).value = params.get(id);
}

let seq = 0;

function newEvent(type, extra) {
  return Object.assign({userId: field('user').value, type, seq: ++seq, page: location.pathname,
    at: new Date().toISOString()}, extra);
}

function log(kind, outcome, text) {
  const item = document.createElement('li');
  item.dataset.kind = kind;
  item.dataset.outcome = outcome;
  item.textContent = `${kind}: ${text}`;
  field('log').append(item);
}

// JSON with fetch: Content-Type application/json (and Authorization, when there is a token) make the browser ask
// the bridge first with a preflight (OPTIONS); the answer is readable because the bridge allows this page's origin.
async function sendWithFetch() {
  const event = newEvent('click', {target: 'send-fetch'});
  const headers = {'Content-Type': 'application/json'};
  if (field('token').value) headers.Authorization = `Bearer ${field('token').value}`;
  try {
    const response = await fetch(field('bridge').value, {method: 'POST', headers, body: JSON.stringify(event)});
    const answer = await response.json();
    const outcome = response.ok && answer.FailedRecordCount === 0 ? 'ok' : 'refused';
    log('fetch', outcome, `seq ${event.seq}: ${response.status} ${JSON.stringify(answer)}`);
  } catch (error) {
    log('fetch', 'failed', `seq ${event.seq}: ${error} (the browser console says why: CORS, a port not listening…)`);
  }
}

// A beacon survives the page being closed; it is a simple request (a string is sent as text/plain), so there is no
// preflight and no answer to read. It cannot carry Authorization: with a token, use fetch(…, {keepalive: true}).
function sendWithBeacon() {
  const event = newEvent('page_view');
  const queued = navigator.sendBeacon(field('bridge').value, JSON.stringify(event));
  log('beacon', queued ? 'queued' : 'failed', `seq ${event.seq}: ${queued ? 'queued (a beacon gets no answer)' : 'not queued'}`);
}

// The Kinesis API itself, as the AWS SDK for JavaScript calls it: the endpoint answers the preflight as AWS does and
// exposes x-amzn-RequestId. The Authorization header is shaped like a SigV4 one; the local endpoint checks no signature.
async function putRecordThroughEndpoint() {
  const event = newEvent('click', {target: 'put-record'});
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const headers = {
    'Content-Type': 'application/x-amz-json-1.1',
    'X-Amz-Target': 'Kinesis_20131202.PutRecord',
    'X-Amz-Date': amzDate,
    'Authorization': `AWS4-HMAC-SHA256 Credential=local/${amzDate.slice(0, 8)}/us-east-1/kinesis/aws4_request, `
      + `SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
  };
  const body = {StreamName: field('stream').value, PartitionKey: event.userId, Data: base64(JSON.stringify(event))};
  try {
    const response = await fetch(field('endpoint').value, {method: 'POST', headers, body: JSON.stringify(body)});
    const answer = await response.json();
    const requestId = response.headers.get('x-amzn-RequestId');
    log('endpoint', response.ok ? 'ok' : 'refused',
      `seq ${event.seq}: ${response.status} request ${requestId} ${JSON.stringify(answer)}`);
  } catch (error) {
    log('endpoint', 'failed', `seq ${event.seq}: ${error}`);
  }
}

function base64(text) {
  let binary = '';
  new TextEncoder().encode(text).forEach(byte => { binary += String.fromCharCode(byte); });
  return btoa(binary);
}

field('send-fetch').addEventListener('click', sendWithFetch);
field('send-beacon').addEventListener('click', sendWithBeacon);
field('put-record').addEventListener('click', putRecordThroughEndpoint);
