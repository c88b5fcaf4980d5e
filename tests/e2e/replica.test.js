// Self-tests of the LinkedIn replica (no extension): it must be as strict as LinkedIn.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { EMBED_PREFIX, createReplica } from '../replica/server.js';
import { launchBrowser } from '../support/harness.js';

const AI_PATH = '/mypreferences/d/settings/data-for-ai-improvement';
const AI_KEY = 'allowDataForGenerativeAI';
const SWITCH = 'input[type="checkbox"][role="switch"]';

describe('LinkedIn replica', () => {
  const replica = createReplica({ seed: 'self-test' });
  let browser;
  let page;

  before(async () => {
    browser = await launchBrowser({ replica });
  });

  after(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    replica.reset();
    await page?.close();
    page = await browser.context.newPage();
  });

  test('the page CSP forbids WebAssembly in the page, like LinkedIn', async () => {
    const response = await page.goto(replica.url(AI_PATH));
    const csp = response.headers()['content-security-policy'];
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+' 'report-sample' https:\/\/static\.licdn\.com /);
    assert.doesNotMatch(csp, /unsafe-eval/);
    const outcome = await page.evaluate(async () => {
      const emptyModule = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
      try {
        await WebAssembly.compile(emptyModule);
        return 'compiled';
      } catch (error) {
        return `${error.name}: ${error.message}`;
      }
    });
    assert.match(outcome, /^CompileError: .*Content Security Policy/);
  });

  test('switches appear only after the render delay and carry hashed class names', async () => {
    replica.latency.render = 400;
    const started = Date.now();
    await page.goto(replica.url(AI_PATH), { waitUntil: 'domcontentloaded' });
    assert.equal(await page.locator(SWITCH).count(), 0, 'no switch at DOMContentLoaded');
    const sw = page.locator(SWITCH);
    await sw.waitFor({ state: 'visible', timeout: 5000 });
    assert.ok(Date.now() - started >= 400, 'rendered no earlier than latency.render');
    assert.equal(await sw.getAttribute('aria-labelledby'), AI_KEY);
    assert.equal(await page.locator(`#${AI_KEY}`).textContent(), 'Use my data for training content creation AI models');
    const className = await sw.getAttribute('class');
    assert.match(className, /^_switchCheckbox_[0-9a-z]{6}$/);
    assert.equal(className, replica.classes.switchCheckbox);
    assert.notEqual(createReplica({ seed: 'another-deploy' }).classes.switchCheckbox, className);
    assert.equal(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('voyager'))), true);
  });

  test('a click saves through the page, changes the server state, and survives a reload', async () => {
    await page.goto(replica.url(AI_PATH));
    const sw = page.locator(SWITCH);
    await sw.waitFor();
    assert.equal(await sw.isChecked(), true);
    await sw.click();
    await page.locator('[role="status"]').waitFor();
    assert.equal(replica.stateOf(AI_KEY), false);
    assert.deepEqual(replica.saves.map(({ key, value, result }) => ({ key, value, result })),
      [{ key: AI_KEY, value: false, result: 'applied' }]);
    await page.reload();
    await sw.waitFor();
    assert.equal(await sw.isChecked(), false);
  });

  test('variant container: the card in an open or closed shadow root, or in a same-origin or sandboxed frame', async () => {
    // The policy word for word, but the hash of the inline bootstrap (which carries the variant).
    const policy = (response) => response.headers()['content-security-policy'].replace(/'sha256-[^']+'/, "'sha256-…'");
    const CSP_BEFORE = policy(await page.goto(replica.url(AI_PATH)));
    for (const container of ['open-shadow', 'closed-shadow', 'frame', 'sandboxed-frame']) {
      replica.reset();
      replica.variant.container = container;
      const response = await page.goto(replica.url(AI_PATH));
      assert.equal(policy(response), CSP_BEFORE, `${container}: the same strict CSP`);
      if (container.endsWith('shadow')) {
        await page.locator('li-settings-card').waitFor();
        const seen = await page.evaluate((sel) => {
          const host = document.querySelector('li-settings-card');
          return { open: Boolean(host.shadowRoot), inDocument: document.querySelectorAll(sel).length };
        }, SWITCH);
        assert.deepEqual(seen, { open: container === 'open-shadow', inDocument: 0 }, container);
        if (container === 'open-shadow') {
          // Playwright's CSS pierces open shadow roots: the switch is there, labelled inside its own root.
          const sw = page.locator(SWITCH);
          await sw.click();
          await page.locator('[role="status"]').waitFor();
          assert.equal(replica.stateOf(AI_KEY), false, 'a click in the shadow root saves');
          assert.equal(await page.evaluate((key) => Boolean(document.querySelector('li-settings-card').shadowRoot
            .getElementById(key)), AI_KEY), true);
        }
        continue;
      }
      await page.locator('iframe').waitFor();
      const frameUrl = await page.locator('iframe').getAttribute('src');
      assert.equal(frameUrl, EMBED_PREFIX + AI_PATH);
      const frame = await (await page.locator('iframe').elementHandle()).contentFrame();
      const sw = frame.locator(SWITCH);
      await sw.waitFor();
      assert.equal(await sw.getAttribute('aria-labelledby'), AI_KEY);
      const reachable = await page.evaluate(() => Boolean(document.querySelector('iframe').contentDocument));
      assert.equal(reachable, container === 'frame', `${container}: the page can read the frame`);
      if (container === 'frame') {
        await sw.click();
        await frame.locator('[role="status"]').waitFor();
        assert.equal(replica.stateOf(AI_KEY), false, 'a click in the frame saves');
        assert.equal(replica.saves[0].page, EMBED_PREFIX + AI_PATH);
      }
    }
  });

  test('a save without the CSRF token is refused and changes nothing', async () => {
    await page.goto(replica.url(AI_PATH));
    const status = await page.evaluate(async (key) => {
      const response = await fetch(`/mypreferences/api/settings/${key}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: false }),
      });
      return response.status;
    }, AI_KEY);
    assert.equal(status, 403);
    assert.equal(replica.stateOf(AI_KEY), true);
    assert.equal(replica.saves.at(-1).result, 'csrf_failed');
  });

  test('a failing save reverts the switch, shows an error and leaves the server state', async () => {
    replica.account.failSaves.add(AI_KEY);
    await page.goto(replica.url(AI_PATH));
    const sw = page.locator(SWITCH);
    await sw.waitFor();
    await sw.click();
    const alert = page.locator('[role="alert"]');
    await alert.waitFor();
    assert.match(await alert.textContent(), /not saved/);
    assert.equal(await sw.isChecked(), true);
    assert.equal(replica.stateOf(AI_KEY), true);
    assert.equal(replica.saves.at(-1).result, 'failed');
  });

  test('signed out, a settings URL ends on the login page with session_redirect', async () => {
    replica.account.signedIn = false;
    await page.goto(replica.url(AI_PATH));
    await page.waitForURL((url) => url.pathname === '/login');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('session_redirect'), replica.url(AI_PATH));
    await page.locator('input[type="password"]').waitFor();
    assert.equal(await page.locator(SWITCH).count(), 0);
    assert.equal(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('voyager'))), false);
  });

  test('the affiliates page is a 404 "Page not found" in the EU, and missingPaths 404 too', async () => {
    replica.account.region = 'eu';
    const path = '/mypreferences/d/settings/share-data-with-select-partners';
    const response = await page.goto(replica.url(path));
    assert.equal(response.status(), 404);
    assert.equal(new URL(page.url()).pathname, path);
    assert.equal(await page.locator('h1').textContent(), 'Page not found');
    assert.equal(await page.locator(SWITCH).count(), 0);

    replica.account.region = 'us';
    const ok = await page.goto(replica.url('/mypreferences/s/settings/share-data-with-trusted-partners'));
    assert.equal(ok.status(), 200);
    await page.locator('[aria-labelledby="shareDataWithTrustedPartners"]').waitFor();

    replica.account.missingPaths.add(AI_PATH);
    assert.equal((await page.goto(replica.url(AI_PATH))).status(), 404);
    assert.equal((await page.goto(replica.url('/mypreferences/d/settings/no-such-thing'))).status(), 404);
  });

  test('category pages render links to their settings pages by script', async () => {
    await page.goto(replica.url('/mypreferences/d/categories/ads'));
    const link = page.locator('a[href="/mypreferences/d/settings/ads-beyond-linkedin"]');
    await link.waitFor();
    const hrefs = await page.locator('main a[href^="/mypreferences/d/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.includes('/mypreferences/d/interest-categories'));
    assert.ok(hrefs.includes('/mypreferences/d/settings/share-data-with-select-partners'));
  });

  test('a German account gets German page text and labels', async () => {
    replica.account.lang = 'de';
    await page.goto(replica.url(AI_PATH));
    await page.locator(SWITCH).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    assert.equal(await page.locator('h1').textContent(), 'Daten zur Verbesserung generativer KI');
    assert.equal(await page.locator(`#${AI_KEY}`).textContent(),
      'Ihre Daten zum Schulen von KI-Modellen verwenden, um Inhalte zu erstellen');
  });

  test('the cookies switch is found by element id and aria-label, the promotions page has two switches', async () => {
    await page.goto(replica.url('/mypreferences/d/member-cookies'));
    const cookie = page.locator('#nonEssentialCookieConsent');
    await cookie.waitFor();
    assert.equal(await cookie.getAttribute('aria-label'), 'Accept non-essential cookies');
    assert.equal(await cookie.getAttribute('aria-labelledby'), null);

    await page.goto(replica.url('/mypreferences/d/settings/linkedin-promotions'));
    await page.locator('[aria-labelledby="tipsForUsingLinkedinViaEmail"]').waitFor();
    assert.equal(await page.locator(SWITCH).count(), 2);
  });

  test('requests are logged and other hosts are blocked', async () => {
    await page.goto(replica.url('/feed/'));
    await assert.rejects(page.goto('https://example.com/x'), /ERR_INTERNET_DISCONNECTED/);
    const doc = replica.requests.find((r) => r.resourceType === 'document');
    assert.equal(doc.from, 'page');
    assert.equal(doc.status, 200);
    assert.ok(replica.requests.some((r) => r.host === 'example.com' && r.blocked));
  });
});
