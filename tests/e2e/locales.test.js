// A report's notes are codes (crate::vocab::NoteCode) with the values they name; the popup and the report page word
// them from `note_<code>` in the member's locale. Held to the engine's source without a browser: every code has
// words in every locale, no locale has words for a code the engine does not have, and each message takes exactly
// the params the engine writes with that code (`Note::with(NoteCode::X, "name", ...)`), as `$NAME$` placeholders
// whose content is `$1`, `$2`, ... in the order of the param names (crates/pages `words::note_text`).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { REPO_ROOT } from '../support/harness.js';

const ENGINE = join(REPO_ROOT, 'crates/engine/src');
const LOCALES = join(REPO_ROOT, 'extension/_locales');

/** `NotSelected` -> `not_selected`, as serde's rename_all = "snake_case" writes it. */
const snakeCase = (name) => name.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();

/** The JSON names of the NoteCode variants, read from vocab.rs (serde snake_case, no variant renamed). */
function noteCodes() {
  const source = readFileSync(join(ENGINE, 'vocab.rs'), 'utf8');
  const start = source.indexOf('pub enum NoteCode {');
  assert.ok(start >= 0, 'no "pub enum NoteCode" in vocab.rs');
  const before = source.slice(0, start).split('\n').slice(-3).join('\n');
  assert.match(before, /rename_all\s*=\s*"snake_case"/, 'NoteCode is serde snake_case');
  const body = source.slice(start, source.indexOf('\n}\n', start));
  assert.doesNotMatch(body, /serde\(/, 'no NoteCode variant is renamed');
  return [...body.matchAll(/^ {4}([A-Z][A-Za-z0-9]*),$/gm)].map((m) => snakeCase(m[1]));
}

/** Every Rust file of the engine, tests left out. */
function engineSources(dir = ENGINE) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'tests' ? [] : engineSources(path);
    return entry.name.endsWith('.rs') && entry.name !== 'tests.rs' ? [readFileSync(path, 'utf8')] : [];
  });
}

/** The param names the engine writes with each code, from its `Note::with(NoteCode::X, "name", ...)` calls. */
function paramsWritten() {
  const params = {};
  for (const source of engineSources()) {
    const code = source.split('#[cfg(test)]')[0];
    for (const m of code.matchAll(/Note::with\(\s*NoteCode::([A-Za-z0-9]+),\s*"([a-z_]+)"/g)) {
      const names = (params[snakeCase(m[1])] ??= []);
      if (!names.includes(m[2])) names.push(m[2]);
    }
  }
  return params;
}

const CODES = noteCodes();
const PARAMS = paramsWritten();

describe('note codes have words', () => {
  test('the codes and their params are read from the engine', () => {
    assert.ok(CODES.length >= 20, `${CODES}`);
    for (const code of ['not_selected', 'still_going', 'not_recognised', 'reverted', 'legacy']) {
      assert.ok(CODES.includes(code), code);
    }
    assert.deepEqual(PARAMS.other_page, ['path'], 'a page LinkedIn showed instead is named by its path');
    assert.deepEqual(PARAMS.legacy, ['text'], 'an old note keeps its text');
    for (const code of Object.keys(PARAMS)) assert.ok(CODES.includes(code), `${code} is a NoteCode`);
  });

  const locales = readdirSync(LOCALES).sort();
  test('every locale is there', () => {
    assert.deepEqual(locales, ['ar', 'de', 'en', 'es', 'fr', 'it', 'ja', 'nl', 'pl', 'pt_BR', 'tr']);
  });

  for (const locale of locales) {
    test(`${locale}: a note_<code> message for every code, with exactly its params, and none for other codes`, () => {
      const messages = JSON.parse(readFileSync(join(LOCALES, locale, 'messages.json'), 'utf8'));
      for (const code of CODES) {
        const key = `note_${code}`;
        const entry = messages[key];
        assert.ok(entry, `${locale}: no ${key}`);
        assert.equal(typeof entry.message, 'string', `${locale}: ${key}`);
        assert.notEqual(entry.message.trim(), '', `${locale}: ${key} is empty`);
        const names = [...(PARAMS[code] ?? [])].sort();
        const used = [...entry.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((m) => m[1].toLowerCase()).sort();
        assert.deepEqual(used, names, `${locale}: ${key} shows the params the engine writes`);
        const declared = Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name, p.content]);
        assert.deepEqual(declared, names.map((name, i) => [name, `$${i + 1}`]),
          `${locale}: ${key}: each param is a placeholder, $1, $2, ... in the order of the names`);
        assert.doesNotMatch(entry.message.replace(/\$[A-Za-z0-9_]+\$/g, ''), /\$/, `${locale}: ${key}: a stray $`);
      }
      const stale = Object.keys(messages).filter((key) => key.startsWith('note_') &&
        !CODES.includes(key.slice('note_'.length)));
      assert.deepEqual(stale, [], `${locale}: words for notes the engine does not have`);
    });
  }
});

// Every locale carries every UI string, in its own language: Chromium fills a missing key with English, which a
// member reading Japanese or Arabic should never meet. The rule texts (name, explanation, off_means) are held the
// same way by the build (crates/xtask/src/locales.rs), which fails on a text that would fall back.
describe('every locale is complete and in its own language', () => {
  const en = JSON.parse(readFileSync(join(LOCALES, 'en', 'messages.json'), 'utf8'));
  const rules = JSON.parse(readFileSync(join(REPO_ROOT, 'rules', 'linkedin.json'), 'utf8'));
  const placeholders = (text) => [...text.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((m) => m[1].toLowerCase()).sort();
  for (const locale of readdirSync(LOCALES).sort().filter((l) => l !== 'en')) {
    test(`${locale}: the keys of en, each with its placeholders, and no English sentence left`, () => {
      const messages = JSON.parse(readFileSync(join(LOCALES, locale, 'messages.json'), 'utf8'));
      assert.deepEqual(Object.keys(messages).sort(), Object.keys(en).sort(), `${locale} has exactly the keys of en`);
      const english = [];
      for (const [key, entry] of Object.entries(en)) {
        const text = messages[key].message;
        assert.notEqual(text.trim(), '', `${locale}: ${key} is empty`);
        assert.deepEqual(placeholders(text), placeholders(entry.message), `${locale}: ${key} keeps its placeholders`);
        assert.deepEqual(messages[key].placeholders ?? null, entry.placeholders ?? null, `${locale}: ${key} declares them as en`);
        // A word or two may be the same in both (LinkedOut, Marketing, Cookies); a sentence is not.
        if (text === entry.message && text.replace(/\$[A-Z0-9_]+\$/g, '').trim().split(/\s+/).length > 1) english.push(key);
      }
      assert.deepEqual(english, [], `${locale}: messages still in English`);
    });
    test(`${locale}: every rule names, explains and says what "off" means in ${locale}`, () => {
      for (const setting of rules.settings) {
        for (const field of ['name', 'explanation', 'off_means']) {
          const text = setting[field][locale];
          assert.equal(typeof text, 'string', `${setting.id}.${field}.${locale}`);
          if (text.trim().split(/\s+/).length > 1) {
            assert.notEqual(text, setting[field].en, `${setting.id}.${field}.${locale} is not the English text`);
          }
        }
      }
    });
  }
  test('the manifest\'s default locale is en, whose keys the others are held to', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'manifest.json'), 'utf8'));
    assert.equal(manifest.default_locale, 'en');
  });
});
