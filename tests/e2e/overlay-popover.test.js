// The guided overlay points at its switch: a popover beside the highlighted switch with an arrow, never over it
// (1280 px and 360 px wide), focus on its heading when it opens and again after the confirming reload, "2 of 11"
// and "Next: …", a short "Turn off" whose accessible name names the setting, Esc folding it into a chip that opens
// it again, a keyboard-only guided change, and no "Turn off" while a run works in another tab.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { createReplica } from '../replica/server.js';
import { waitFor } from '../support/harness.js';

import {
  FAST_LATENCY, RULE_BY_ID, cardOf, extensionFor, keyOf, overlayOf, turnOffButton, waitForNoRun, waitForReport,
  nowIso, entryOf,
} from '../support/linkedout.js';

const AI = RULE_BY_ID.get('ai_training');
const AFFILIATES = RULE_BY_ID.get('share_with_affiliates');
const ADS = RULE_BY_ID.get('ads_beyond_linkedin');
const CONFIRMED = /LinkedIn confirms it after a fresh page load/;
const switchOf = (rule) => `input[aria-labelledby="${keyOf(rule)}"]`;

/**
 * The popover, its arrow and the switch, as laid out now (viewport pixels), once two reads a frame apart agree (the
 * popover slides in, and follows a scroll).
 */
async function settledGeometry(page, rule) {
  let last = null;
  return waitFor(async () => {
    const now = await page.evaluate(async (selector) => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const root = document.querySelector('linkedout-overlay')?.shadowRoot;
      const panel = root?.querySelector('.panel');
      const target = document.querySelector(selector);
      if (!panel || !target || panel.hidden) return null;
      const box = (el) => {
        const r = el.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      };
      const arrow = root.querySelector('.arrow');
      return {
        panel: box(panel), target: box(target), arrow: getComputedStyle(arrow).display === 'none' ? null : box(arrow),
        side: arrow.dataset.side ?? null, vw: document.documentElement.clientWidth, vh: window.innerHeight,
      };
    }, switchOf(rule));
    const same = now && last && JSON.stringify(now) === JSON.stringify(last);
    last = now;
    return same ? now : null;
  }, { timeoutMs: 10000, what: 'the popover to settle' });
}

/**
 * Waits until the popover has finished sliding in: the click guard refuses a press on a button that is not yet
 * painted as it will stay (IntersectionObserver v2), as it should for a press no member could have aimed.
 */
async function popoverStill(page) {
  await page.waitForFunction(() => {
    const panel = document.querySelector('linkedout-overlay')?.shadowRoot.querySelector('.panel');
    return Boolean(panel) && panel.getAnimations().every((a) => a.playState === 'finished');
  });
}

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Where focus is: the overlay's shadow-root element's id (or tag), or null when focus is not in the overlay. */
async function focusInOverlay(page) {
  return page.evaluate(() => {
    const host = document.querySelector('linkedout-overlay');
    if (!host || document.activeElement !== host) return null;
    const el = host.shadowRoot.activeElement;
    return el ? (el.id || el.className || el.tagName.toLowerCase()) : null;
  });
}

describe('the overlay points at its switch', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);
  let page;

  beforeEach(async () => {
    page = await ext.context.newPage();
  });

  for (const [width, height] of [[1280, 800], [360, 740]]) {
    test(`${width} px wide: the popover sits beside the switch, its arrow between them, and covers none of it`, async () => {
      await page.setViewportSize({ width, height });
      await page.goto(replica.url(AI.paths[0]));
      await turnOffButton(cardOf(page, AI.id)).waitFor({ timeout: 15000 });
      const g = await settledGeometry(page, AI);
      assert.ok(!overlaps(g.panel, g.target), `the popover ${JSON.stringify(g.panel)} covers the switch ${JSON.stringify(g.target)}`);
      assert.ok(g.panel.left >= 0 && g.panel.right <= g.vw && g.panel.top >= 0 && g.panel.bottom <= g.vh,
        `the popover is inside the viewport: ${JSON.stringify(g)}`);
      assert.ok(g.target.top >= 0 && g.target.bottom <= g.vh, 'the switch is in view');
      assert.ok(g.arrow, 'an arrow is drawn');
      assert.ok(!overlaps(g.arrow, g.target), 'the arrow does not cover the switch either');
      // The arrow sits in the gap between the popover and the switch, facing the switch.
      const mid = (a, b) => (a + b) / 2;
      if (g.side === 'below' || g.side === 'above') {
        const x = mid(g.arrow.left, g.arrow.right);
        assert.ok(x >= g.target.left && x <= g.target.right, `the arrow (x ${x}) points at the switch: ${JSON.stringify(g)}`);
        if (g.side === 'below') assert.ok(g.arrow.top >= g.target.bottom && g.arrow.bottom <= g.panel.top + 1);
        else assert.ok(g.arrow.bottom <= g.target.top && g.arrow.top >= g.panel.bottom - 1);
      } else {
        const y = mid(g.arrow.top, g.arrow.bottom);
        assert.ok(y >= g.target.top && y <= g.target.bottom, `the arrow (y ${y}) points at the switch: ${JSON.stringify(g)}`);
        if (g.side === 'left') assert.ok(g.arrow.left >= g.panel.right - 1 && g.arrow.right <= g.target.left);
        else assert.ok(g.arrow.right <= g.panel.left + 1 && g.arrow.left >= g.target.right);
      }
      // The popover's buttons can be pressed where they are: nothing of the page lies over them.
      const turnOff = turnOffButton(cardOf(page, AI.id));
      await turnOff.scrollIntoViewIfNeeded();
      assert.equal(await turnOff.isVisible(), true);
      // The short label does not wrap; the accessible name names the setting.
      const label = await turnOff.evaluate((b) => ({
        text: b.textContent.trim(), height: b.getBoundingClientRect().height,
        line: parseFloat(getComputedStyle(b).lineHeight),
      }));
      assert.equal(label.text, 'Turn off');
      assert.ok(label.height < 2 * label.line + 16, `the label is on one line (${JSON.stringify(label)})`);
      assert.equal(await turnOff.getAttribute('aria-label'), `Turn off ${AI.name.en}`);
    });
  }

  test('focus is on the popover\'s heading when it opens, and again after the confirming reload', async () => {
    await page.goto(replica.url(AI.paths[0]));
    await turnOffButton(cardOf(page, AI.id)).waitFor({ timeout: 15000 });
    await waitFor(async () => (await focusInOverlay(page)) === 'lo-title', { what: 'focus on the heading' });
    const since = nowIso();
    await turnOffButton(cardOf(page, AI.id)).click();
    await cardOf(page, AI.id).getByText(CONFIRMED).waitFor({ timeout: 20000 });
    const report = await waitForReport(ext, { since, mode: 'guided' });
    assert.equal(entryOf(report, AI.id).outcome, 'turned_off');
    assert.equal(await focusInOverlay(page), 'lo-title', 'after the reload, focus is on the heading again, not the page body');
  });

  test('the popover says "2 of 11" and names the setting "Next setting" leads to', async () => {
    // The AI setting read as off (a first visit), then the member on the affiliates page.
    replica.account.settings[keyOf(AI)] = false;
    await page.goto(replica.url(AI.paths[0]));
    await cardOf(page, AI.id).getByText(/already off/i).waitFor({ timeout: 15000 });
    await page.goto(replica.url(AFFILIATES.paths[0]));
    await turnOffButton(cardOf(page, AFFILIATES.id)).waitFor({ timeout: 15000 });
    const step = overlayOf(page).locator('.step');
    await step.getByText('2 of 11', { exact: true }).waitFor();
    await step.getByText(`Next: ${ADS.name.en}`, { exact: true }).waitFor();
    // "Next setting" goes where it said.
    await cardOf(page, AFFILIATES.id).getByRole('button', { name: 'Not now', exact: true }).click();
    await cardOf(page, AFFILIATES.id).getByRole('button', { name: 'Next setting' }).click();
    await page.waitForURL(replica.url(ADS.paths[0]), { timeout: 10000 });
    await turnOffButton(cardOf(page, ADS.id)).waitFor({ timeout: 15000 });
    await overlayOf(page).locator('.step').getByText('3 of 11', { exact: true }).waitFor();
    assert.deepEqual(replica.saves, [], 'touring saves nothing');
  });

  test('the last setting left says so instead of naming a next one', async () => {
    // Everything else read as off already.
    await ext.storageSet({ states: { version: 1, settings: Object.fromEntries([...RULE_BY_ID.keys()]
      .filter((id) => id !== AI.id).map((id) => [id, { state: 'off', checked_at: nowIso(), url: null }])) } });
    await page.goto(replica.url(AI.paths[0]));
    await turnOffButton(cardOf(page, AI.id)).waitFor({ timeout: 15000 });
    const step = overlayOf(page).locator('.step');
    await step.getByText('1 of 11', { exact: true }).waitFor();
    await step.getByText('The last one still on', { exact: true }).waitFor();
  });

  test('the last one for now says how many a "Not now" holds back, and when they come back', async () => {
    const day = 24 * 60 * 60 * 1000;
    const others = [...RULE_BY_ID.keys()].filter((id) => id !== AI.id && id !== 'gender');
    await ext.storageSet({
      states: { version: 1, settings: Object.fromEntries(others.map((id) => [id, { state: 'off', checked_at: nowIso(), url: null }])) },
      declined: { version: 1, settings: { gender: new Date(Date.now() - 10 * day).toISOString() } },
    });
    await page.goto(replica.url(AI.paths[0]));
    await turnOffButton(cardOf(page, AI.id)).waitFor({ timeout: 15000 });
    const back = new Date(Date.now() + 20 * day).toLocaleDateString('en', { day: 'numeric', month: 'long' });
    await overlayOf(page).locator('.step')
      .getByText(`The last one for now: 1 answered “Not now” will be offered again from ${back}`, { exact: true }).waitFor();
  });

  test('Esc folds the popover into a chip, which has focus and opens it again', async () => {
    await page.goto(replica.url(AI.paths[0]));
    const turnOff = turnOffButton(cardOf(page, AI.id));
    await turnOff.waitFor({ timeout: 15000 });
    await waitFor(async () => (await focusInOverlay(page)) === 'lo-title', { what: 'focus on the heading' });
    await page.keyboard.press('Escape');
    const chip = overlayOf(page).getByRole('button', { name: 'Open the LinkedOut guide again' });
    await chip.waitFor();
    assert.equal(await turnOff.isVisible(), false, 'the popover is folded away');
    assert.equal(await focusInOverlay(page), 'chip', 'focus stays with LinkedOut, on the chip');
    assert.equal(await page.locator(switchOf(AI)).isChecked(), true, 'nothing changed');
    // Enter on the chip opens it again, focus on its heading; a click does the same.
    await page.keyboard.press('Enter');
    await turnOff.waitFor();
    assert.equal(await chip.isVisible(), false);
    await waitFor(async () => (await focusInOverlay(page)) === 'lo-title', { what: 'focus back on the heading' });
    await overlayOf(page).getByRole('button', { name: 'Hide LinkedOut' }).click();
    await chip.click();
    await turnOff.waitFor();
    assert.deepEqual(replica.saves, []);
  });

  test('keyboard only: Tab to "Turn off", Enter, the confirmed result, then Tab to "Next setting", Enter', async () => {
    await page.goto(replica.url(AI.paths[0]));
    await turnOffButton(cardOf(page, AI.id)).waitFor({ timeout: 15000 });
    await waitFor(async () => (await focusInOverlay(page)) === 'lo-title', { what: 'focus on the heading' });
    /** Presses Tab until the focused overlay control's name matches, at most 10 times (the popover's own controls). */
    async function tabTo(name) {
      for (let i = 0; i < 10; i += 1) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.querySelector('linkedout-overlay')?.shadowRoot.activeElement;
          return el ? (el.getAttribute('aria-label') || el.textContent.trim()) : '';
        });
        if (name.test(focused)) return i + 1;
      }
      throw new Error(`no control ${name} within 10 Tabs`);
    }
    assert.ok(await tabTo(/^Turn off /) <= 3, 'the popover\'s first Tabs reach "Turn off"');
    await popoverStill(page);
    const since = nowIso();
    await page.keyboard.press('Enter');
    await cardOf(page, AI.id).getByText(CONFIRMED).waitFor({ timeout: 20000 });
    assert.equal((await waitForReport(ext, { since, mode: 'guided' })).settings.find((s) => s.id === AI.id).outcome, 'turned_off');
    assert.equal(await focusInOverlay(page), 'lo-title');
    await tabTo(/^Next setting$/);
    await popoverStill(page);
    await page.keyboard.press('Enter');
    const next = RULE_BY_ID.get('share_with_affiliates');
    await page.waitForURL(replica.url(next.paths[0]), { timeout: 10000 });
    await turnOffButton(cardOf(page, next.id)).waitFor({ timeout: 15000 });
    await waitFor(async () => (await focusInOverlay(page)) === 'lo-title', { what: 'focus on the next page\'s heading' });
    assert.deepEqual(replica.saves.map((s) => s.key), [keyOf(AI)], 'only the setting said yes to was saved');
  });

  test('while a run works in another tab, the overlay offers no "Turn off" and says why', async () => {
    // The run's page is held at LinkedIn's door until the test lets it through: the run is going on meanwhile.
    const research = RULE_BY_ID.get('research');
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    const held = replica.url(research.paths[0]);
    await ext.context.route(held, async (route) => {
      await gate;
      await route.fallback();
    });
    try {
      const started = await ext.sendMessage({ type: 'start_run', mode: 'opt_out', settings: [research.id] });
      assert.equal(started.ok, true);
      await ext.waitForStorage('run', (run) => Boolean(run), 10000);
      await page.goto(replica.url(AI.paths[0]));
      const card = cardOf(page, AI.id);
      await card.getByText(/changing your settings in another tab/).waitFor({ timeout: 15000 });
      assert.equal(await turnOffButton(overlayOf(page)).count(), 0, 'no "Turn off" anywhere in the overlay');
      assert.equal(await page.locator(switchOf(AI)).isChecked(), true);
    } finally {
      release();
      await waitForNoRun(ext);
      await ext.context.unroute(held);
    }
    // Once the run is over, the page offers it again.
    await page.reload();
    await turnOffButton(cardOf(page, AI.id)).waitFor({ timeout: 15000 });
    assert.equal(replica.saves.filter((s) => s.key === keyOf(AI)).length, 0, 'the AI setting was never saved');
  });
});
