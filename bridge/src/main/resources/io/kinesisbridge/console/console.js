'use strict';
// The kinesis-bridge console: one EventSource for the live overview, plain fetch for the rest. Every value from the
// bridge is set as text (never as HTML): records and dead letters hold whatever the sources sent.
(function () {
  const API = 'api/';
  const HISTORY = 60; // seconds of put rate kept per shard for the chart
  const COLORS = ['#2563eb', '#dc6803', '#067647', '#b42318', '#6941c6', '#0e7090', '#c11574', '#4e5ba6'];
  const state = { config: null, history: {}, written: {}, lastOverview: null };

  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }
  async function getJson(path) {
    const r = await fetch(API + path, { credentials: 'same-origin', cache: 'no-store' });
    const body = await r.json().catch(() => ({ error: r.statusText }));
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }
  const fmt = (n) => typeof n === 'number' ? n.toLocaleString('en-US') : String(n);

  // ---- streams ------------------------------------------------------------------------------------------------
  function renderOverview(o) {
    state.lastOverview = o;
    const box = $('streams');
    for (const s of o.streams) {
      let section = box.querySelector(`section.stream[data-stream="${CSS.escape(s.name)}"]`);
      if (!section) {
        section = el('section', { class: 'stream', 'data-stream': s.name },
          el('h3', {}, s.name, ' ', el('span', { class: 'hint status' })),
          el('div', { class: 'counters' }),
          svgBars(), el('canvas', { class: 'rate-chart', width: 1000, height: 90 }),
          el('table', { class: 'shard-table' }, el('thead', {}, el('tr', {},
            ...['shard', 'open', 'put/s', 'written', 'acknowledged', 'throttled'].map((h) => el('th', {}, h)))),
            el('tbody')));
        box.append(section);
      }
      section.querySelector('.status').textContent = s.status;
      const counters = section.querySelector('.counters');
      counters.replaceChildren(...[
        ['putRate', 'put/s', s.putRate], ['in', 'in', s.in], ['acknowledged', 'acknowledged', s.acknowledged],
        ['stored', 'stored', s.stored], ['pending', 'pending', s.pending], ['throttled', 'throttled', s.throttled],
        ['deadLettered', 'failed (dead-lettered)', s.deadLettered], ['retried', 'retried', s.retried],
        ['spooled', 'spooled', s.spooled], ['returned', 'returned', s.returned], ['refused', 'refused', s.refused]
      ].map(([key, label, value]) => el('span', {
        class: 'counter' + ((key === 'throttled' || key === 'deadLettered') && value > 0 ? ' bad' : ''), 'data-counter': key
      }, label + ' ', el('b', {}, fmt(value)))));
      drawBars(section.querySelector('svg'), s.shards);
      const rows = s.shards.map((sh) => el('tr', { 'data-shard': sh.id },
        el('td', {}, el('span', {}, sh.id)), el('td', {}, sh.open ? 'open' : 'closed'), el('td', {}, fmt(sh.putRate)),
        el('td', {}, fmt(sh.written ?? 0)), el('td', {}, fmt(sh.acknowledged)), el('td', {}, fmt(sh.throttled))));
      rows.forEach((row, i) => { row.firstChild.firstChild.style.color = COLORS[i % COLORS.length]; });
      section.querySelector('tbody').replaceChildren(...rows);
      for (const sh of s.shards) {
        const key = s.name + '/' + sh.id;
        const h = state.history[key] || (state.history[key] = []);
        h.push(sh.putRate);
        if (h.length > HISTORY) h.shift();
      }
      drawChart(section.querySelector('canvas'), s);
    }
    fillStreamSelect($('records-stream'), o.streams.map((s) => s.name));
    follow(o);
  }

  function svgBars() {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('class', 'shard-bars');
    svg.setAttribute('viewBox', '0 0 1000 34');
    svg.setAttribute('preserveAspectRatio', 'none');
    return svg;
  }

  // one bar per open shard, placed at its hash-key range; a closed shard's range is shown faded below
  function drawBars(svg, shards) {
    const ns = 'http://www.w3.org/2000/svg';
    svg.replaceChildren();
    shards.forEach((sh, i) => {
      if (sh.from === undefined) return;
      const r = document.createElementNS(ns, 'rect');
      r.setAttribute('x', (sh.from * 1000).toFixed(2));
      r.setAttribute('width', Math.max(0.5, (sh.to - sh.from) * 1000 - 1).toFixed(2));
      r.setAttribute('y', sh.open ? 0 : 24);
      r.setAttribute('height', sh.open ? 22 : 8);
      r.setAttribute('fill', COLORS[i % COLORS.length]);
      r.setAttribute('opacity', sh.open ? 0.85 : 0.3);
      r.setAttribute('data-shard', sh.id);
      const title = document.createElementNS(ns, 'title');
      title.textContent = `${sh.id}: ${sh.startingHashKey} to ${sh.endingHashKey}`;
      r.append(title);
      svg.append(r);
    });
  }

  function drawChart(canvas, s) {
    const ctx = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    const series = s.shards.map((sh) => state.history[s.name + '/' + sh.id] || []);
    const max = Math.max(1, ...series.flat());
    ctx.fillStyle = '#5f6b7a';
    ctx.font = '12px system-ui';
    ctx.fillText(`${fmt(max)} rec/s`, 4, 12);
    series.forEach((points, i) => {
      ctx.strokeStyle = COLORS[i % COLORS.length];
      ctx.lineWidth = 2;
      ctx.beginPath();
      points.forEach((v, j) => {
        const x = w - (points.length - 1 - j) * (w / (HISTORY - 1));
        const y = h - 4 - (v / max) * (h - 20);
        if (j === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      });
      ctx.stroke();
    });
  }

  function fillStreamSelect(select, names) {
    const current = [...select.options].map((o) => o.value);
    if (current.join() === names.join()) return;
    const chosen = select.value;
    select.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
    if (names.includes(chosen)) select.value = chosen;
    select.dispatchEvent(new Event('change'));
  }

  // ---- records ------------------------------------------------------------------------------------------------
  function follow(o) {
    if (!$('records-follow').checked || !state.config || !state.config.records) return;
    const stream = o.streams.find((s) => s.name === $('records-stream').value);
    if (!stream) return;
    const shard = $('records-shard').value;
    const written = stream.shards.filter((sh) => !shard || sh.id === shard).reduce((n, sh) => n + (sh.written || 0), 0);
    if (state.written[stream.name + '/' + shard] !== written) {
      state.written[stream.name + '/' + shard] = written;
      loadRecords();
    }
  }

  function updateShards() {
    const o = state.lastOverview;
    const stream = o && o.streams.find((s) => s.name === $('records-stream').value);
    const select = $('records-shard');
    const chosen = select.value;
    const ids = stream ? stream.shards.map((sh) => sh.id) : [];
    select.replaceChildren(el('option', { value: '' }, 'every shard'), ...ids.map((id) => el('option', { value: id }, id)));
    if (ids.includes(chosen)) select.value = chosen;
  }

  async function loadRecords() {
    const stream = $('records-stream').value;
    if (!stream) return;
    if (!state.config.records) {
      $('records-note').textContent = 'Records are read from the in-memory backend only.';
      return;
    }
    const params = new URLSearchParams({ stream });
    if ($('records-shard').value) params.set('shard', $('records-shard').value);
    if ($('records-key').value) params.set('key', $('records-key').value);
    try {
      const answer = await getJson('records?' + params);
      $('records-note').textContent = `latest ${answer.records.length} (at most ${answer.limit}), newest first`;
      $('records').replaceChildren(...answer.records.map(recordItem));
    } catch (e) {
      $('records-note').textContent = e.message;
    }
  }

  function recordItem(r) {
    return el('li', { class: 'record', 'data-key': r.partitionKey, 'data-shard': r.shardId },
      el('div', { class: 'meta' }, el('span', { class: 'key' }, r.partitionKey), el('span', {}, r.shardId),
        el('span', {}, r.sequenceNumber), el('span', {}, r.arrival),
        el('span', {}, `${r.kind}, ${fmt(r.size)} bytes${r.truncated ? ' (first 64 KiB shown)' : ''}`)),
      el('pre', { class: 'data', 'data-kind': r.kind }, r.shown));
  }

  // ---- routes and sources -------------------------------------------------------------------------------------
  async function loadRoutes() {
    try {
      const v = await getJson('routes');
      const rows = [];
      for (const r of v.routes) {
        const streams = r.streams.length ? r.streams : [{ stream: '' }];
        streams.forEach((s, i) => rows.push(el('tr', { 'data-route': r.id, title: r.description },
          el('td', {}, i ? '' : r.id), el('td', {}, i ? '' : r.status), el('td', {}, i ? '' : r.from),
          el('td', {}, i ? '' : fmt(r.inflight)), el('td', {}, s.stream),
          ...['in', 'acknowledged', 'deadLettered', 'spooled', 'returned'].map((k) => el('td', { 'data-counter': k }, s[k] === undefined ? '' : fmt(s[k]))))));
      }
      $('routes').tBodies[0].replaceChildren(...rows);
      const items = v.checks.map((c) => el('li', { 'data-check': c.id }, el('span', { class: 'state-' + c.state }, c.state), ' ', c.id,
        c.message ? ` — ${c.message}` : ''));
      for (const [part, reason] of Object.entries(v.problems)) items.push(el('li', { class: 'reason' }, `${part}: ${reason}`));
      for (const [listener, open] of Object.entries(v.listeners)) items.push(el('li', {}, `listener ${listener}: ${fmt(open)} connections open`));
      $('checks').replaceChildren(...items);
    } catch (e) {
      $('checks').replaceChildren(el('li', { class: 'error' }, e.message));
    }
  }

  // ---- dead letters -------------------------------------------------------------------------------------------
  async function loadDeadLetters() {
    const select = $('dl-stream');
    $('dead-letters').dataset.loading = 'true';
    try {
      const list = await getJson('dead-letters');
      const names = [...new Set([...list.streams, ...(state.lastOverview ? state.lastOverview.streams.map((s) => s.name) : [])])].sort();
      const chosen = select.value || list.streams[0] || names[0] || '';
      select.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
      select.value = chosen;
      if (!chosen) return;
      const answer = await getJson('dead-letters?stream=' + encodeURIComponent(chosen));
      $('dead-letters').replaceChildren(...(answer.letters || []).map(letterItem));
      if (!(answer.letters || []).length) $('dead-letters').replaceChildren(el('li', { class: 'hint' }, 'No dead letters for this stream.'));
    } catch (e) {
      $('dead-letters').replaceChildren(el('li', { class: 'error' }, e.message));
    } finally {
      delete $('dead-letters').dataset.loading;
    }
  }

  function letterItem(l) {
    if (l.unreadable) return el('li', { class: 'letter', 'data-line': l.line }, el('span', { class: 'error' }, `line ${l.line}: ${l.unreadable}`));
    const li = el('li', { class: 'letter', 'data-line': l.line, 'data-key': l.partitionKey ?? '' },
      el('div', { class: 'meta' }, el('span', { class: 'key' }, l.partitionKey ?? '(no key)'), el('span', {}, l.time),
        el('span', {}, `line ${l.line}`), el('span', {}, `${l.attempts} attempt(s)`), el('span', {}, `${l.kind}, ${fmt(l.size)} bytes`)),
      el('div', { class: 'reason' }, `${l.errorCode}: ${l.errorMessage}`),
      el('pre', { class: 'data', 'data-kind': l.kind }, l.shown));
    if (state.config.allowResend) {
      const binary = l.kind === 'binary';
      const key = el('input', { class: 'dl-key', value: l.partitionKey ?? '', placeholder: 'partition key' });
      // the record's own bytes, not the pretty-printed or shortened view of them
      const data = el('textarea', { class: 'dl-data', value: binary ? l.base64 : utf8(l.base64) });
      const outcome = el('span', { class: 'outcome' });
      const button = el('button', { class: 'dl-resend', type: 'button' }, 'Re-send');
      button.addEventListener('click', async () => {
        button.disabled = true;
        outcome.textContent = 'sending…';
        try {
          const r = await fetch(API + 'dead-letters/resend', {
            method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ stream: $('dl-stream').value, partitionKey: key.value, data: data.value, encoding: binary ? 'base64' : 'text' })
          });
          const body = await r.json();
          if (!r.ok) throw new Error(body.error || r.statusText);
          outcome.dataset.outcome = body.outcome;
          outcome.textContent = body.outcome === 'accepted' ? `landed in ${body.shardId} as ${body.sequenceNumber}`
            : body.outcome === 'spooled' ? 'spooled: sent when Kinesis answers again' : `rejected again: ${body.errorCode}: ${body.errorMessage}`;
        } catch (e) {
          outcome.dataset.outcome = 'failed';
          outcome.textContent = e.message;
        } finally {
          button.disabled = false;
        }
      });
      li.append(el('div', { class: 'controls' }, el('label', {}, 'Partition key ', key), button, outcome),
        el('label', {}, binary ? 'Data (base64)' : 'Data', data));
    }
    return li;
  }

  function utf8(base64) {
    return new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  }

  // ---- start --------------------------------------------------------------------------------------------------
  function connect() {
    const events = new EventSource(API + 'events');
    events.addEventListener('overview', (e) => {
      $('status').dataset.state = 'live';
      $('status').textContent = 'live';
      renderOverview(JSON.parse(e.data));
    });
    events.onerror = () => {
      $('status').dataset.state = 'lost';
      $('status').textContent = 'reconnecting…';
    };
  }

  async function start() {
    state.config = await getJson('config');
    $('backend').textContent = `backend: ${state.config.backend}`;
    $('dl-mode').textContent = state.config.allowResend ? 'Re-sending is on (bridge.console.allow-resend=true).'
      : 'Read-only: set bridge.console.allow-resend=true to fix and re-send.';
    $('records-stream').addEventListener('change', () => { updateShards(); loadRecords(); });
    $('records-shard').addEventListener('change', loadRecords);
    $('records-form').addEventListener('submit', (e) => { e.preventDefault(); loadRecords(); });
    $('dl-form').addEventListener('submit', (e) => { e.preventDefault(); loadDeadLetters(); });
    $('dl-stream').addEventListener('change', loadDeadLetters);
    connect();
    loadRoutes();
    loadDeadLetters();
    setInterval(loadRoutes, 5000);
  }

  start().catch((e) => { $('status').dataset.state = 'lost'; $('status').textContent = e.message; });
}());
