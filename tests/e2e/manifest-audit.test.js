// The manifest, pinned (design.md "Permissions"): exactly the permissions used, host access to
// https://www.linkedin.com/* alone, the content script on the settings pages only, a strict CSP for extension
// pages (no remote code, no remote connections), no web_accessible_resources (LinkedIn cannot detect the
// extension), no externally_connectable (no web page can message it), and no remote URL anywhere.
import { readFileSync, readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { createReplica } from '../replica/server.js';
import { REPO_ROOT } from '../support/harness.js';
import { extensionFor } from '../support/linkedout.js';

const BUILT_DIR = (() => {
  const dir = process.env.LINKEDOUT_EXTENSION || 'dist/chrome';
  return isAbsolute(dir) ? dir : join(REPO_ROOT, dir);
})();
const SOURCE = JSON.parse(readFileSync(join(REPO_ROOT, 'manifest.json'), 'utf8'));
const BUILT = JSON.parse(readFileSync(join(BUILT_DIR, 'manifest.json'), 'utf8'));

const PERMISSIONS = ['alarms', 'declarativeNetRequestWithHostAccess', 'storage'];
const HOSTS = ['https://www.linkedin.com/*'];
const MATCHES = ['https://www.linkedin.com/mypreferences/*', 'https://www.linkedin.com/psettings/*'];
// The content script's parts, in the order they must load: the waiting strategy first (the bench swaps that file),
// each part after those it uses, main.js (which starts the page) last.
const CONTENT_SCRIPTS = ['wait.js', 'contract.js', 'snapshot.js', 'settle.js', 'overlay.js', 'cards.js', 'main.js']
  .map((file) => `content/${file}`);
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; connect-src 'self'; base-uri 'none'; form-action 'none'";
const FORBIDDEN_KEYS = [
  'web_accessible_resources', 'externally_connectable', 'optional_permissions', 'optional_host_permissions',
  'update_url', 'sandbox', 'chrome_url_overrides', 'devtools_page', 'options_page', 'options_ui', 'oauth2', 'key',
  'content_capabilities', 'storage', 'side_panel', 'commands', 'omnibox',
];

function strings(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

const MANIFESTS = [
  ['source manifest.json', SOURCE, join(REPO_ROOT, 'extension')],
  [`built ${BUILT_DIR}/manifest.json`, BUILT, BUILT_DIR],
];

for (const [name, manifest, dir] of MANIFESTS) {
  describe(`manifest audit: ${name}`, () => {
    test('exactly the permissions used, host access to www.linkedin.com alone', () => {
      assert.equal(manifest.manifest_version, 3);
      assert.deepEqual([...manifest.permissions].sort(), PERMISSIONS);
      assert.deepEqual(manifest.host_permissions, HOSTS);
      for (const key of FORBIDDEN_KEYS) assert.equal(manifest[key], undefined, `no "${key}"`);
    });

    test('the content script runs on the settings pages only, top frame, isolated world, no CSS', () => {
      assert.equal(manifest.content_scripts.length, 1);
      const [cs] = manifest.content_scripts;
      assert.deepEqual(cs.matches, MATCHES);
      assert.deepEqual(cs.js, CONTENT_SCRIPTS);
      const shipped = readdirSync(join(dir, 'content')).map((file) => `content/${file}`).sort();
      assert.deepEqual(shipped, [...CONTENT_SCRIPTS].sort(), 'every file in content/ is loaded');
      assert.equal(cs.all_frames, false);
      assert.equal(cs.css, undefined);
      assert.equal(cs.world, undefined, 'never the page\'s main world');
      assert.equal(cs.match_about_blank, undefined);
      assert.equal(cs.match_origin_as_fallback, undefined);
      assert.equal(cs.exclude_matches, undefined);
    });

    test('a strict CSP: own scripts and the Wasm only, no remote connection, no eval, no plugins', () => {
      assert.deepEqual(Object.keys(manifest.content_security_policy), ['extension_pages']);
      const csp = manifest.content_security_policy.extension_pages;
      assert.equal(csp, CSP);
      assert.doesNotMatch(csp, /'unsafe-eval'|unsafe-inline|https?:|\*/);
    });

    test('the service worker is the packaged module background.js', () => {
      assert.equal(manifest.background.service_worker, 'background.js');
      assert.equal(manifest.background.type, 'module');
    });

    test('no remote URL anywhere in the manifest (only LinkedIn match patterns)', () => {
      for (const s of strings(manifest)) {
        if (!/:\/\/|^\/\/|\bwww\./i.test(s)) continue;
        assert.ok([...HOSTS, ...MATCHES].includes(s), `remote URL in the manifest: ${s}`);
      }
    });
  });
}

test('every permission is used by the extension\'s code', () => {
  const code = ['background.js', ...CONTENT_SCRIPTS, 'popup.js', 'report.js']
    .map((f) => readFileSync(join(REPO_ROOT, 'extension', f), 'utf8')).join('\n');
  assert.match(code, /chrome\.storage\.local/);
  assert.match(code, /chrome\.alarms\./);
  assert.match(code, /chrome\.declarativeNetRequest\./);
});

describe('manifest audit: in the browser', () => {
  const replica = createReplica();
  const ext = extensionFor(replica, { fresh: false });

  test('the granted permissions are exactly the pinned ones, and the CSP forbids the worker and pages any request to the web', async () => {
    const worker = await ext.currentWorker();
    const granted = await worker.evaluate(() => chrome.permissions.getAll());
    assert.deepEqual([...granted.permissions].sort(), PERMISSIONS);
    // Chromium lists the content script's match patterns among the origins too: all within www.linkedin.com.
    assert.deepEqual([...granted.origins].sort(), [...HOSTS, ...MATCHES].sort());
    const fromWorker = await worker.evaluate(() => fetch('https://www.linkedin.com/robots.txt')
      .then(() => 'fetched', (error) => `refused: ${error.message}`));
    assert.match(fromWorker, /^refused/, 'the worker cannot fetch even LinkedIn (connect-src \'self\')');
    const popup = await ext.openPopup();
    try {
      const fromPage = await popup.evaluate(() => fetch('https://static.licdn.com/x.js')
        .then(() => 'fetched', (error) => `refused: ${error.message}`));
      assert.match(fromPage, /^refused/, 'the popup cannot fetch the web');
    } finally {
      await popup.close();
    }
    assert.deepEqual(replica.requests.filter((r) => r.from !== 'page'), [], 'no request left the extension');
  });
});
