// The overlay speaks the UI's language and direction, not the page's: an Arabic UI on an Arabic page lays the
// popover out right to left (dir="rtl", lang="ar" on the panel, Arabic words, the setting's Arabic texts), and an
// English UI on the same right-to-left page stays left to right. Chromium's UI language comes from --lang (the
// harness pins en-US; a later --lang wins).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { createReplica } from '../replica/server.js';

import { FAST_LATENCY, RULE_BY_ID, cardOf, extensionFor, keyOf, overlayOf } from '../support/linkedout.js';

const AI = RULE_BY_ID.get('ai_training');

/** The panel's attributes and the direction it is laid out in, with the page's. */
async function panelFacts(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('linkedout-overlay').shadowRoot.querySelector('.panel');
    return {
      dir: panel.getAttribute('dir'), lang: panel.getAttribute('lang'), direction: getComputedStyle(panel).direction,
      pageDir: document.documentElement.getAttribute('dir'), pageLang: document.documentElement.lang,
      heading: panel.querySelector('h3')?.textContent ?? '',
    };
  });
}

/** Which side of the switch the popover is on, and whether it covers it. */
async function placement(page) {
  return page.evaluate((selector) => {
    const root = document.querySelector('linkedout-overlay').shadowRoot;
    const p = root.querySelector('.panel').getBoundingClientRect();
    const s = document.querySelector(selector).getBoundingClientRect();
    const covers = p.left < s.right && s.left < p.right && p.top < s.bottom && s.top < p.bottom;
    return { covers, side: root.querySelector('.arrow').dataset.side ?? null };
  }, `input[aria-labelledby="${keyOf(AI)}"]`);
}

describe('Arabic UI on an Arabic page: the overlay is right to left, in Arabic', () => {
  const replica = createReplica({ latency: FAST_LATENCY, account: { lang: 'ar' } });
  const ext = extensionFor(replica, { launch: async () => ({ extraArgs: ['--lang=ar'] }) });

  test('dir="rtl" and lang="ar" on the panel, its words and the setting\'s texts in Arabic', async () => {
    replica.account.lang = 'ar';
    const page = await ext.context.newPage();
    await page.goto(replica.url(AI.paths[0]));
    const card = cardOf(page, AI.id);
    // The short label, and the accessible name that begins with it and names the setting, both in Arabic.
    const turnOff = card.getByRole('button', { name: `إيقاف: ${AI.name.ar}`, exact: true });
    await turnOff.waitFor({ timeout: 15000 });
    assert.equal((await turnOff.textContent()).trim(), 'إيقاف');
    await card.getByRole('button', { name: 'ليس الآن', exact: true }).waitFor();
    const facts = await panelFacts(page);
    assert.deepEqual({ dir: facts.dir, lang: facts.lang, direction: facts.direction },
      { dir: 'rtl', lang: 'ar', direction: 'rtl' });
    assert.equal(facts.pageDir, 'rtl', 'the page is right to left too');
    assert.equal(facts.heading, AI.name.ar, 'the setting is named in Arabic');
    const text = await card.textContent();
    assert.ok(text.includes(AI.explanation.ar), 'explained in Arabic');
    assert.ok(!/[A-Za-z]{4,}/.test(text.replace(/LinkedIn|LinkedOut/g, '')), `no English words: ${text}`);
    await overlayOf(page).locator('.step').getByText('1 من 11', { exact: true }).waitFor();
    const where = await placement(page);
    assert.equal(where.covers, false, 'the popover does not cover the switch');
    await page.close();
  });
});

describe('English UI on an Arabic page: the overlay stays left to right', () => {
  const replica = createReplica({ latency: FAST_LATENCY, account: { lang: 'ar' } });
  const ext = extensionFor(replica);

  test('dir="ltr" and an English lang on the panel, though the page is dir="rtl"', async () => {
    replica.account.lang = 'ar';
    const page = await ext.context.newPage();
    await page.goto(replica.url(AI.paths[0]));
    const card = cardOf(page, AI.id);
    await card.getByRole('button', { name: `Turn off ${AI.name.en}`, exact: true }).waitFor({ timeout: 15000 });
    const facts = await panelFacts(page);
    assert.equal(facts.pageDir, 'rtl');
    assert.equal(facts.pageLang, 'ar');
    assert.equal(facts.dir, 'ltr');
    assert.equal(facts.direction, 'ltr', 'not inherited from the page');
    assert.match(facts.lang, /^en\b/);
    assert.equal(facts.heading, AI.name.en);
    // The text starts at the left: the explanation's first word is not at the panel's right edge.
    const align = await page.evaluate(() => {
      const panel = document.querySelector('linkedout-overlay').shadowRoot.querySelector('.panel');
      const p = panel.querySelector('article p');
      const range = document.createRange();
      range.selectNodeContents(p);
      const first = range.getClientRects()[0];
      return { textLeft: first.left - p.getBoundingClientRect().left };
    });
    assert.ok(align.textLeft < 2, `the text begins at the left edge (${align.textLeft} px in)`);
    await page.close();
  });
});
