// Every word the extension's pages show comes from `_locales`: each message key the Rust pages (crates/pages) ask
// for, literally or by a vocabulary code (`outcome_<code>`, `state_<code>`, `mode_<code>`, `progress_title_<mode>`,
// `group_<group>`), is in every locale, with the placeholders the code fills. Held to the sources without a
// browser, so a key added in Rust and forgotten in a language fails here, not on a member's screen.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { REPO_ROOT } from '../support/harness.js';
import { SETTINGS } from '../support/linkedout.js';

const PAGES = join(REPO_ROOT, 'crates/pages/src');
const LOCALES = join(REPO_ROOT, 'extension/_locales');
const VOCAB = readFileSync(join(REPO_ROOT, 'crates/engine/src/vocab.rs'), 'utf8');
const RUN = readFileSync(join(REPO_ROOT, 'crates/engine/src/run/mod.rs'), 'utf8');

const snakeCase = (name) => name.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();

/** The serde names of a `pub enum` of the engine (snake_case, no variant renamed). */
function variants(source, name) {
  const start = source.indexOf(`pub enum ${name} {`);
  assert.ok(start >= 0, `no enum ${name}`);
  const body = source.slice(start, source.indexOf('\n}\n', start));
  return [...body.matchAll(/^ {4}([A-Z][A-Za-z0-9]*),$/gm)].map((m) => snakeCase(m[1]));
}

/** The pages' sources, tests left out. */
const SOURCES = readdirSync(PAGES).filter((f) => f.endsWith('.rs'))
  .map((f) => readFileSync(join(PAGES, f), 'utf8').split('#[cfg(test)]')[0]).join('\n');

/** Keys asked for literally, `t(w, "key", &[subs])`, with how many values each call passes. */
function literalKeys() {
  const keys = new Map();
  for (const m of SOURCES.matchAll(/\bt\(\s*&?\w+,\s*"([a-z0-9_]+)",\s*&\[([^\]]*)\]/g)) {
    const subs = m[2].trim() === '' ? 0 : m[2].split(',').filter((s) => s.trim() !== '').length;
    const seen = keys.get(m[1]) ?? new Set();
    seen.add(subs);
    keys.set(m[1], seen);
  }
  return keys;
}

const LITERAL = literalKeys();
const DYNAMIC = [
  ...variants(VOCAB, 'Outcome').map((c) => `outcome_${c}`),
  ...variants(VOCAB, 'State').map((c) => `state_${c}`),
  ...variants(VOCAB, 'Mode').flatMap((c) => [`mode_${c}`, `progress_title_${c}`]),
  ...variants(VOCAB, 'ErrorCode').map((c) => `error_${c}`),
  ...[...new Set(SETTINGS.map((s) => s.group))].map((g) => `group_${g}`),
  ...['gpc', 'reminder'].flatMap((o) => [`options_${o}`, `options_${o}_help`]),
];

describe('the pages\' words are in every locale', () => {
  test('the scan finds the keys the pages use', () => {
    assert.ok(LITERAL.size >= 40, `${LITERAL.size} literal keys`);
    for (const key of ['status_all_set', 'confirm_go_recommended', 'ledger_title', 'popup_stopped', 'worker_no_answer']) {
      assert.ok(LITERAL.has(key), key);
    }
    assert.ok(variants(RUN, 'Phase').includes('verify'), 'the run phases are read');
    for (const family of ['outcome_{}', 'state_{}', 'mode_{}', 'progress_title_{}', 'group_{}', 'error_{}']) {
      assert.ok(SOURCES.includes(`"${family}"`), `the pages build ${family} keys`);
    }
  });

  for (const locale of readdirSync(LOCALES).sort()) {
    test(`${locale}: every key the pages ask for, with the values they pass`, () => {
      const messages = JSON.parse(readFileSync(join(LOCALES, locale, 'messages.json'), 'utf8'));
      const missing = [...LITERAL.keys(), ...DYNAMIC].filter((key) => !messages[key]?.message?.trim());
      assert.deepEqual(missing, [], `${locale}: no words for these`);
      for (const [key, counts] of LITERAL) {
        const placeholders = Object.keys(messages[key].placeholders ?? {}).length;
        for (const n of counts) {
          assert.ok(placeholders <= n, `${locale}: ${key} has ${placeholders} placeholders, the pages pass ${n} values`);
        }
        assert.doesNotMatch(messages[key].message.replace(/\$[A-Za-z0-9_]+\$/g, ''), /\$/, `${locale}: ${key}: a stray $`);
      }
    });
  }
});

// And the other way round: every key of en is asked for, by the pages (by name or by a code), the overlay's
// content scripts, a note's code or the manifest, so no locale carries words nothing shows (each key costs every
// zip its words in 11 languages).
describe('every word in the locales is asked for', () => {
  test('each key of en is used by the pages, the overlay, a note or the manifest', () => {
    const en = JSON.parse(readFileSync(join(LOCALES, 'en', 'messages.json'), 'utf8'));
    const content = readdirSync(join(REPO_ROOT, 'extension/content')).filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(REPO_ROOT, 'extension/content', f), 'utf8')).join('\n');
    const manifest = readFileSync(join(REPO_ROOT, 'manifest.json'), 'utf8');
    const outcomes = variants(VOCAB, 'Outcome');
    const used = new Set([
      // Any string the pages' code holds (some keys are picked before `t` is called).
      ...[...SOURCES.matchAll(/"([a-z][a-z0-9_]*)"/g)].map((m) => m[1]),
      ...DYNAMIC,
      ...variants(VOCAB, 'NoteCode').map((c) => `note_${c}`),
      ...[...content.matchAll(/'([a-z][a-z0-9_]*)'/g)].map((m) => m[1]),
      // cards.js: `outcome_${outcome}_verified` for a change confirmed after a fresh load.
      ...outcomes.map((o) => `outcome_${o}_verified`),
      ...[...manifest.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((m) => m[1]),
    ]);
    assert.ok(content.includes('`outcome_${outcome}_verified`'), 'the overlay words verified outcomes');
    const unused = Object.keys(en).filter((key) => !used.has(key));
    assert.deepEqual(unused, [], 'keys of en nothing asks for');
  });
});
