// The contract's words, held to the engine's source without a browser: every error code (crate::vocab::ErrorCode)
// has words (`error_<code>`) in every locale, and the words the content script uses (contract.js, WORDS) are the
// engine's, all of them where the overlay is given them to show. The lists come from the Rust enums themselves, so
// a variant added without words or without a way to show it fails here.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { REPO_ROOT } from '../support/harness.js';

const ENGINE = join(REPO_ROOT, 'crates/engine/src');
const LOCALES = join(REPO_ROOT, 'extension/_locales');

/** `NotOfferedHere` -> `not_offered_here`, as serde's rename_all = "snake_case" writes it. */
const snakeCase = (name) => name.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();

/**
 * The JSON names of a Rust enum's variants, read from its source: the enum must be serde's snake_case and rename
 * no variant, or this reading would not be the JSON one.
 */
function rustEnum(file, name) {
  const source = readFileSync(join(ENGINE, file), 'utf8');
  const start = source.search(new RegExp(`\\bpub enum ${name}\\s*\\{`));
  assert.ok(start >= 0, `no "pub enum ${name}" in ${file}`);
  const attributes = source.slice(0, start).split('\n').reverse().slice(1)
    .filter((line) => line.trim().startsWith('#['));
  assert.ok(attributes.some((line) => /rename_all\s*=\s*"snake_case"/.test(line)), `${name} is serde snake_case`);
  const variants = [];
  let depth = 0;
  const body = source.slice(source.indexOf('{', start) + 1);
  for (const raw of body.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (depth === 0 && line.startsWith('}')) return variants;
    assert.doesNotMatch(line, /serde\(.*rename\s*=/, `${name}: a renamed variant`);
    const variant = depth === 0 ? /^([A-Z][A-Za-z0-9]*)\b/.exec(line) : null;
    if (variant) variants.push(snakeCase(variant[1]));
    depth += (line.match(/[{(]/g) ?? []).length - (line.match(/[})]/g) ?? []).length;
  }
  assert.fail(`${name} in ${file} has no end`);
}

const ERROR_CODES = rustEnum('vocab.rs', 'ErrorCode');

describe('error codes have words', () => {
  test('the codes are read from the engine', () => {
    assert.ok(ERROR_CODES.length >= 10, `${ERROR_CODES}`);
    for (const code of ['sender_not_allowed', 'malformed', 'not_offered_here', 'busy']) {
      assert.ok(ERROR_CODES.includes(code), code);
    }
  });

  const locales = readdirSync(LOCALES).sort();
  test('every locale is there', () => {
    assert.deepEqual(locales, ['ar', 'de', 'en', 'es', 'fr', 'it', 'ja', 'nl', 'pl', 'pt_BR', 'tr']);
  });

  for (const locale of locales) {
    test(`${locale}: every error code has an error_<code> message, and no other error_ message is there`, () => {
      const messages = JSON.parse(readFileSync(join(LOCALES, locale, 'messages.json'), 'utf8'));
      for (const code of ERROR_CODES) {
        const entry = messages[`error_${code}`];
        assert.ok(entry, `${locale}: no error_${code}`);
        assert.equal(typeof entry.message, 'string');
        assert.notEqual(entry.message.trim(), '', `${locale}: error_${code} is empty`);
        assert.doesNotMatch(entry.message, /\$/, `${locale}: error_${code} takes no placeholder`);
      }
      const stale = Object.keys(messages).filter((key) => key.startsWith('error_') &&
        !ERROR_CODES.includes(key.slice('error_'.length)));
      assert.deepEqual(stale, [], `${locale}: words for codes the engine does not have`);
    });
  }
});

describe('the content script\'s words are the engine\'s', () => {
  // The kinds of words in contract.js (WORDS), the enum each comes from, and whether the overlay must know every
  // word of it (it is given them to show) or only uses some.
  const KINDS = {
    actions: { file: 'plan.rs', name: 'Action', whole: true },
    stages: { file: 'contract/mod.rs', name: 'Stage', whole: true },
    tones: { file: 'vocab.rs', name: 'Tone', whole: true },
    page_kinds: { file: 'page.rs', name: 'PageKind', whole: false },
    errors: { file: 'vocab.rs', name: 'ErrorCode', whole: false },
  };

  const sandbox = {};
  runInNewContext(readFileSync(join(REPO_ROOT, 'extension/content/contract.js'), 'utf8'), sandbox);
  const words = sandbox.__linkedout?.contract?.words;

  test('contract.js has its words', () => {
    assert.ok(words, 'contract.js registers contract.words');
    assert.deepEqual(Object.keys(words).sort(), Object.keys(KINDS).sort());
  });

  for (const [kind, { file, name, whole }] of Object.entries(KINDS)) {
    test(`${kind}: ${whole ? 'every' : 'each used'} ${name} of ${file}`, () => {
      const engine = rustEnum(file, name);
      const ours = Object.keys(words[kind]);
      for (const word of ours) {
        assert.equal(words[kind][word], word);
        assert.ok(engine.includes(word), `${kind}: "${word}" is no ${name} (${engine})`);
      }
      if (whole) assert.deepEqual([...ours].sort(), [...engine].sort(), `the overlay knows every ${name}`);
    });
  }
});
