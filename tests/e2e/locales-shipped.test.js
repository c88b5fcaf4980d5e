// The build ships each locale's messages with their placeholders written in ("Turn off $NAME$" whose `name` is `$1`
// ships as "Turn off $1", crates/xtask/src/locales.rs). Held here to what each browser would show: every message of
// the source, worded by Chrome's and by Firefox's own way of reading messages.json, reads the same as the shipped one,
// with any values. Needs a build (dist/chrome, dist/firefox).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { REPO_ROOT } from '../support/harness.js';

const LOCALES = join(REPO_ROOT, 'extension/_locales');
const VALUES = ['⟨one⟩', '⟨two $1⟩', '⟨three $$⟩', '4', '5', '6', '7', '8', '9'];

/** Chrome: `$name$` from a `$` to the next one (extensions' message_bundle), then `$1`..`$9` and `$$`. */
function chrome(entry, values) {
  let text = entry.message;
  const placeholders = entry.placeholders ?? {};
  for (let begin = text.indexOf('$'); begin >= 0 && begin + 1 < text.length; begin = text.indexOf('$', begin)) {
    begin += 1;
    const end = text.indexOf('$', begin);
    if (end < 0) break;
    const name = text.slice(begin, end);
    if (!/^[A-Za-z0-9_@]+$/.test(name)) continue;
    const content = placeholders[name.toLowerCase()]?.content;
    assert.equal(typeof content, 'string', `no placeholder ${name}`);
    text = text.slice(0, begin - 1) + content + text.slice(end + 1);
    begin += content.length - 1;
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') {
      out += text[i];
    } else if (i + 1 < text.length) {
      i++;
      if (text[i] === '$') {
        while (i < text.length && text[i] === '$') out += text[i++];
        i--;
      } else if (text[i] >= '1' && text[i] <= '9') {
        out += values[Number(text[i]) - 1] ?? '';
      }
    }
  }
  return out;
}

/** Firefox: `$name$` by a pattern, then `$<digits>` and runs of `$` (toolkit/components/extensions). */
function firefox(entry, values) {
  const placeholders = entry.placeholders ?? {};
  const text = entry.message.replace(/\$([A-Za-z0-9@_]+)\$/g, (matched, name) => {
    const content = placeholders[name.toLowerCase()]?.content;
    assert.equal(typeof content, 'string', `no placeholder ${name}`);
    return content;
  });
  return text.replace(/\$(?:([1-9]\d*)|(\$+))/g, (matched, index, dollars) =>
    index ? (values[Number(index) - 1] ?? '') : dollars);
}

describe('the shipped messages read as their sources', () => {
  for (const browser of ['chrome', 'firefox']) {
    const dist = join(REPO_ROOT, 'dist', browser, '_locales');
    test(`${browser}: every message of every locale, with placeholders written in`, { skip: !existsSync(dist) && 'no build' }, () => {
      const locales = readdirSync(LOCALES).sort();
      assert.deepEqual(readdirSync(dist).sort(), locales);
      let placeheld = 0;
      for (const locale of locales) {
        const source = JSON.parse(readFileSync(join(LOCALES, locale, 'messages.json'), 'utf8'));
        const shipped = JSON.parse(readFileSync(join(dist, locale, 'messages.json'), 'utf8'));
        for (const [key, entry] of Object.entries(source)) {
          const out = shipped[key];
          assert.ok(out, `${locale}: ${key} is shipped`);
          assert.equal(out.placeholders, undefined, `${locale}: ${key} ships no placeholders object`);
          if (entry.placeholders) placeheld++;
          for (const n of [0, 1, 3, 9]) {
            const values = VALUES.slice(0, n);
            assert.equal(chrome(out, values), chrome(entry, values), `${locale}: ${key} in Chrome with ${n} values`);
            assert.equal(firefox(out, values), firefox(entry, values), `${locale}: ${key} in Firefox with ${n} values`);
          }
        }
      }
      assert.ok(placeheld >= 11 * 30, `${placeheld} messages with placeholders checked`);
    });
  }
});
