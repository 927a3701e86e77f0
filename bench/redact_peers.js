// Runs the npm redaction libraries over the benchmark corpus and writes, per
// library, DIR/peer-<name>.jsonl (one line per message: {"f": [{type, start,
// end}]} with byte offsets and convault detector ids) and DIR/peer-<name>.json
// ({version, messages, seconds, types}). redact_bench scores them against the
// ground truth beside convault. Usage: node redact_peers.js CORPUS_DIR NODE_MODULES_DIR
// Each library gets at most PEER_SECONDS (default 60) of processing; the
// scores then cover the messages it processed.
'use strict';
const fs = require('fs');
const path = require('path');

const [dir, modules] = process.argv.slice(2);
const budget = Number(process.env.PEER_SECONDS || 60);
const texts = fs.readFileSync(path.join(dir, 'corpus.txt'), 'utf8').split('\n');
if (texts[texts.length - 1] === '') texts.pop();
const load = (name) => require(path.join(modules, name));
const version = (name) =>
  JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8')).version;

// UTF-16 index -> UTF-8 byte offset.
function byteOffset(text, index) {
  return Buffer.byteLength(text.slice(0, index), 'utf8');
}

// Libraries that only return the redacted text: recover the replaced spans by
// aligning the unchanged text between placeholders with the input.
function spansFromPlaceholders(input, output, labels) {
  const re = new RegExp(labels.map((l) => l.replace(/[^A-Z_]/g, '')).join('|'), 'g');
  const spans = [];
  let inPos = 0;
  let outPos = 0;
  let m;
  const parts = [];
  while ((m = re.exec(output)) !== null) {
    parts.push({ literal: output.slice(outPos, m.index), label: m[0] });
    outPos = m.index + m[0].length;
  }
  const tail = output.slice(outPos);
  for (let i = 0; i < parts.length; i++) {
    const { literal, label } = parts[i];
    if (input.startsWith(literal, inPos)) {
      inPos += literal.length;
    } else {
      const at = input.indexOf(literal, inPos);
      if (at < 0) return spans;  // cannot align: give up on this message
      inPos = at + literal.length;
    }
    const next = i + 1 < parts.length ? parts[i + 1].literal : tail;
    let end;
    if (next === '') {
      end = i + 1 < parts.length ? inPos + 1 : input.length;
    } else {
      end = input.indexOf(next, inPos + 1);
      if (i + 1 === parts.length) end = input.lastIndexOf(next);
      if (end < inPos) return spans;
    }
    spans.push({ label, start: inPos, end });
    inPos = end;
  }
  return spans;
}

function ipType(value) {
  return value.includes(':') ? 'ipv6' : 'ipv4';
}

const peers = [
  {
    name: 'redact-pii',
    types: ['credit_card', 'us_ssn', 'email', 'phone', 'ipv4', 'ipv6'],
    make() {
      const { SyncRedactor } = load('redact-pii');
      const r = new SyncRedactor();
      const map = {
        CREDIT_CARD_NUMBER: 'credit_card',
        US_SOCIAL_SECURITY_NUMBER: 'us_ssn',
        EMAIL_ADDRESS: 'email',
        PHONE_NUMBER: 'phone',
        IP_ADDRESS: 'ip',
      };
      const labels = Object.keys(map).concat(['PERSON_NAME', 'DIGITS', 'ZIPCODE', 'URL',
        'STREET_ADDRESS', 'USERNAME', 'PASSWORD', 'CREDENTIALS']);
      return (text) => spansFromPlaceholders(text, r.redact(text), labels).map((s) => ({
        type: map[s.label] === 'ip' ? ipType(text.slice(s.start, s.end)) : map[s.label],
        start: s.start, end: s.end,
      }));
    },
  },
  {
    name: '@redactpii/node',
    types: ['credit_card', 'us_ssn', 'email', 'phone'],
    make() {
      const { Redactor } = load('@redactpii/node');
      const r = new Redactor();
      const map = {
        CREDIT_CARD_NUMBER: 'credit_card',
        US_SOCIAL_SECURITY_NUMBER: 'us_ssn',
        EMAIL_ADDRESS: 'email',
        PHONE_NUMBER: 'phone',
      };
      const labels = Object.keys(map).concat(['PERSON_NAME']);
      return (text) => spansFromPlaceholders(text, r.redact(text), labels).map((s) => ({
        type: map[s.label], start: s.start, end: s.end,
      }));
    },
  },
  {
    name: '@openredaction/openredaction',
    types: ['credit_card', 'us_ssn', 'email', 'phone', 'ipv4', 'ipv6', 'iban', 'us_passport',
      'date_of_birth', 'api_key', 'bank_routing'],
    make() {
      const { OpenRedaction } = load('@openredaction/openredaction');
      const r = new OpenRedaction();
      const map = {
        EMAIL: 'email', CREDIT_CARD: 'credit_card', SSN: 'us_ssn', IBAN: 'iban', IPV4: 'ipv4',
        IPV6: 'ipv6', PASSPORT_US: 'us_passport', DATE_OF_BIRTH: 'date_of_birth',
        ROUTING_NUMBER_US: 'bank_routing', AWS_ACCESS_KEY: 'api_key', GITHUB_TOKEN: 'api_key',
        STRIPE_API_KEY: 'api_key', SLACK_TOKEN: 'api_key', JWT_TOKEN: 'api_key',
        BEARER_TOKEN: 'api_key', GENERIC_API_KEY: 'api_key', PRIVATE_KEY: 'api_key',
      };
      return (text) => r.detect(text).detections.map((d) => ({
        type: d.type.startsWith('PHONE') ? 'phone' : map[d.type],
        start: d.position[0], end: d.position[1],
      }));
    },
  },
];

for (const peer of peers) {
  let run;
  try {
    run = peer.make();
  } catch (e) {
    console.error(`${peer.name}: cannot load (${e.message}); skipped`);
    continue;
  }
  const file = peer.name.replace(/\//g, '_');
  const lines = [];
  let seconds = 0;
  let n = 0;
  const started = process.hrtime.bigint();
  for (; n < texts.length; n++) {
    const text = texts[n];
    const t0 = process.hrtime.bigint();
    const found = run(text);
    seconds += Number(process.hrtime.bigint() - t0) / 1e9;
    const f = [];
    for (const s of found) {
      if (!s.type) continue;
      f.push({ type: s.type, start: byteOffset(text, s.start), end: byteOffset(text, s.end) });
    }
    lines.push(JSON.stringify({ f }));
    if ((n & 255) === 0 && Number(process.hrtime.bigint() - started) / 1e9 > budget) {
      n++;
      break;
    }
  }
  fs.writeFileSync(path.join(dir, `peer-${file}.jsonl`), lines.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, `peer-${file}.json`), JSON.stringify({
    name: peer.name, version: version(peer.name), messages: n, seconds, types: peer.types,
  }));
  console.error(`${peer.name}: ${n} messages in ${seconds.toFixed(1)} s`);
}
