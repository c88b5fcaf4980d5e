// Accessibility of everything LinkedOut draws: axe-core (WCAG 2.x A/AA and best practices) finds nothing on the
// popup (dashboard, opt-out confirmation, latest report), the report page and the guided overlay, in light and
// dark; the popup works by keyboard alone (Tab order, a visible focus indicator, Enter/Space, Escape); reduced
// motion turns transitions and animations off; dark mode changes the palette; 200 % zoom clips no control.
//
// axe is injected as a source string through page.evaluate (DevTools protocol), which the extension pages' and
// the replica's CSP do not apply to; the overlay is checked inside its open shadow root (axe `include`).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { createReplica } from '../replica/server.js';

import {
  FAST_LATENCY, RULE_BY_ID, SETTINGS, cardOf, extensionFor, overlayOf, resetExtension, turnOffButton,
} from '../support/linkedout.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const AI = RULE_BY_ID.get('ai_training');
const POPUP_SIZE = { width: 360, height: 600 };

// ------------------------------------------------------------------ helpers

/** axe violations on `page` (optionally only inside `include`, e.g. the overlay host), as readable lines. */
async function axeViolations(page, { include, rules } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async ([inc, only, tags]) => {
    const context = inc ? { include: inc } : document;
    const options = only ? { runOnly: { type: 'rule', values: only } } : { runOnly: { type: 'tag', values: tags } };
    const result = await window.axe.run(context, { ...options, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  }, [include ?? null, rules ?? null, AXE_TAGS]);
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`);
}

async function assertNoViolations(page, what, options) {
  const found = await axeViolations(page, options);
  assert.deepEqual(found, [], `axe found accessibility violations in ${what}:\n${found.join('\n')}`);
}

/** The note the engine writes with each outcome of the sample report (one with a param). */
const SAMPLE_NOTES = {
  not_offered: { code: 'other_page', params: { path: '/mypreferences/d/settings/elsewhere' } },
  not_found: { code: 'not_recognised' },
  refused: { code: 'reverted' },
  needs_sign_in: { code: 'sign_in' },
  skipped: { code: 'not_selected' },
};

/** A report that covers every rule with every outcome, as the service worker would store it. */
function sampleReport(minutesAgo) {
  const at = new Date(Date.now() - minutesAgo * 60000).toISOString();
  const outcomes = ['turned_off', 'already_off', 'not_offered', 'not_found', 'refused', 'needs_sign_in', 'skipped'];
  return {
    version: 2,
    mode: 'opt_out',
    started_at: at,
    finished_at: at,
    complete: true,
    settings: SETTINGS.map((rule, i) => {
      const outcome = outcomes[i % outcomes.length];
      const before = outcome === 'already_off' ? 'off' : outcome === 'turned_off' || outcome === 'refused' ? 'on' : 'unknown';
      const afterState = outcome === 'turned_off' || outcome === 'already_off' ? 'off' : before;
      return { id: rule.id, outcome, before, after: afterState, checked_at: at, note: SAMPLE_NOTES[outcome] ?? null };
    }),
    unknown_settings: ['/mypreferences/d/settings/some-new-thing'],
  };
}

function sampleStates() {
  const at = new Date().toISOString();
  return Object.fromEntries(SETTINGS.map((rule, i) => [rule.id, { state: i % 2 ? 'on' : 'off', checked_at: at }]));
}

/** Opens the popup at popup size with the dashboard rendered (every rule listed). */
async function openPopup(ext, { media } = {}) {
  const page = await ext.context.newPage();
  await page.setViewportSize(POPUP_SIZE);
  if (media) await page.emulateMedia(media);
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  await page.locator('#groups li[data-setting]').nth(SETTINGS.length - 1).waitFor();
  return page;
}

/** Describes the element that has keyboard focus (inside shadow roots too), with its focus styles. */
function focusedInfo(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      key: el.id || `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') || el.textContent.trim()}`,
      focusVisible: el.matches(':focus-visible'),
      style: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} | ${s.boxShadow}`,
      visible: r.width > 0 && r.height > 0,
    };
  });
}

/** The same element's focus styles once it has lost focus. */
function unfocusedStyle(page, key) {
  return page.evaluate((k) => {
    const el = document.getElementById(k) ?? [...document.querySelectorAll('a, button, input, summary')]
      .find((e) => `${e.tagName.toLowerCase()}:${e.getAttribute('aria-label') || e.textContent.trim()}` === k);
    const s = getComputedStyle(el);
    return `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} | ${s.boxShadow}`;
  }, key);
}

/** Keys of the controls a keyboard user should reach, in document order (visible and enabled only). */
function expectedTabStops(page) {
  return page.evaluate(() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
    .filter((el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0 &&
      getComputedStyle(el).visibility !== 'hidden')
    .map((el) => el.id || `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') || el.textContent.trim()}`));
}

/** Presses Tab from the top of the page until focus leaves the document; returns what got focus, in order. */
async function tabThrough(page, limit = 80) {
  // Focus the body itself (briefly focusable) so that the next Tab starts from the top of the document.
  await page.evaluate(() => {
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
  });
  const seen = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const info = await focusedInfo(page);
    if (!info || (seen.length && info.key === seen[0].key)) break;
    seen.push(info);
  }
  return seen;
}

async function assertKeyboardOrder(page, what) {
  const expected = await expectedTabStops(page);
  const reached = await tabThrough(page);
  assert.deepEqual(reached.map((r) => r.key), expected, `${what}: Tab reaches every control in document order`);
  for (const stop of reached) {
    assert.ok(stop.visible, `${what}: ${stop.key} is visible when focused`);
    assert.ok(stop.focusVisible, `${what}: ${stop.key} matches :focus-visible after Tab`);
  }
  await page.evaluate(() => document.activeElement?.blur());
  for (const stop of reached) {
    const rest = await unfocusedStyle(page, stop.key);
    assert.notEqual(stop.style, rest, `${what}: ${stop.key} shows a focus indicator (outline/box-shadow change)`);
  }
}

/** Sum of every element's transition and animation durations (ms), and the elements that move. */
function motion(page, hostSelector = null) {
  return page.evaluate((host) => {
    const root = host ? document.querySelector(host).shadowRoot : document;
    const ms = (v) => v.split(',').reduce((sum, part) => sum + (parseFloat(part) || 0) * (part.trim().endsWith('ms') ? 1 : 1000), 0);
    const moving = [];
    for (const el of root.querySelectorAll('*')) {
      const s = getComputedStyle(el);
      const total = ms(s.transitionDuration) + (s.animationName === 'none' ? 0 : ms(s.animationDuration));
      if (total > 0) moving.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className}`);
    }
    return moving;
  }, hostSelector);
}

// ------------------------------------------------------------------ the tests

describe('accessibility', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica, { fresh: false });

  describe('popup', () => {
    before(async () => {
      await resetExtension(ext);
      await ext.storageSet({ report: sampleReport(5), history: [sampleReport(60 * 24 * 30)], states: sampleStates() });
    });

    for (const colorScheme of ['light', 'dark']) {
      test(`axe finds nothing on the dashboard, the opt-out confirmation and the report (${colorScheme})`, async () => {
        const page = await openPopup(ext, { media: { colorScheme } });
        try {
          await page.locator('#report-summary').waitFor();
          await assertNoViolations(page, `the popup dashboard with a report (${colorScheme})`);
          await page.getByRole('button', { name: 'Opt out of everything', exact: true }).click();
          await page.locator('#confirm-list li').first().waitFor();
          await assertNoViolations(page, `the opt-out confirmation (${colorScheme})`);
        } finally {
          await page.close();
        }
      });

      test(`axe finds nothing on the report page (${colorScheme})`, async () => {
        const page = await ext.context.newPage();
        try {
          await page.emulateMedia({ colorScheme });
          await page.goto(`chrome-extension://${ext.extensionId}/report.html`);
          await page.locator('#report table tbody tr').first().waitFor();
          // Notes are codes in the report and words on the page, with their values in place.
          const notes = await page.locator('#report table tbody td:last-child').allTextContents();
          assert.ok(notes.includes("LinkedIn showed /mypreferences/d/settings/elsewhere instead of this setting's page; it may not be offered for your account."),
            JSON.stringify(notes));
          assert.ok(notes.includes('LinkedIn reverted the change: a fresh load shows the old state.'), JSON.stringify(notes));
          assert.deepEqual(notes.filter((n) => /note_|\[object|\$/.test(n)), [], 'no note left unworded');
          await page.locator('#history details summary').first().click();
          await assertNoViolations(page, `the report page (${colorScheme})`);
        } finally {
          await page.close();
        }
      });
    }

    test('keyboard only: Tab reaches every control in order, each with a visible focus indicator', async () => {
      const page = await openPopup(ext);
      try {
        await assertKeyboardOrder(page, 'the dashboard');
        await page.getByRole('button', { name: 'Opt out of everything', exact: true }).click();
        await page.locator('#confirm-list li').first().waitFor();
        await assertKeyboardOrder(page, 'the opt-out confirmation');
      } finally {
        await page.close();
      }
    });

    test('keyboard only: Enter and Space activate, Escape closes the confirmation and returns focus', async () => {
      const page = await openPopup(ext);
      try {
        const confirm = page.locator('#confirm');
        await page.locator('#opt-out').focus();
        await page.keyboard.press('Enter');
        await confirm.waitFor({ state: 'visible' });
        // Focus moves into the confirmation, onto its heading; the first choice is the next Tab stop (a group's
        // "Select all" or a setting); Space toggles it and the button's words follow.
        assert.equal(await page.locator('#confirm-title').evaluate((el) => el === document.activeElement), true,
          'focus is on the confirmation\'s heading');
        await page.keyboard.press('Tab');
        const first = page.locator('#confirm-list input[type="checkbox"]').first();
        assert.equal(await first.evaluate((el) => el === document.activeElement), true, 'Tab reaches the first choice');
        const go = page.locator('#confirm-go');
        const [checkedBefore, labelBefore] = [await first.isChecked(), await go.textContent()];
        await page.keyboard.press('Space');
        assert.equal(await first.isChecked(), !checkedBefore, 'Space toggles the focused choice');
        assert.notEqual(await go.textContent(), labelBefore, 'the button counts the choices');
        await page.keyboard.press('Space');
        assert.equal(await first.isChecked(), checkedBefore);

        await page.keyboard.press('Escape');
        await confirm.waitFor({ state: 'hidden' });
        assert.equal(await page.locator('#opt-out').evaluate((el) => el === document.activeElement), true,
          'Escape returns focus to "Opt out of everything"');

        // Space on a button activates it too.
        await page.keyboard.press('Space');
        await confirm.waitFor({ state: 'visible' });
        await page.locator('#confirm-cancel').focus();
        await page.keyboard.press('Enter');
        await confirm.waitFor({ state: 'hidden' });

        // Space on an option checkbox changes the stored option.
        await page.locator('#opt-reminder').focus();
        const reminderBefore = await page.locator('#opt-reminder').isChecked();
        await page.keyboard.press('Space');
        await ext.waitForStorage('options', (o) => o?.reminder === !reminderBefore);
        await page.keyboard.press('Space');
        await ext.waitForStorage('options', (o) => o?.reminder === reminderBefore);
      } finally {
        await page.close();
      }
    });

    test('keyboard only on the report page: Tab reaches every control in order; Put back opens by Enter and Escape closes it', async () => {
      const page = await ext.context.newPage();
      try {
        await page.goto(`chrome-extension://${ext.extensionId}/report.html`);
        await page.locator('#report table tbody tr').first().waitFor();
        await assertKeyboardOrder(page, 'the report page');
        await page.locator('#restore').focus();
        await page.keyboard.press('Enter');
        await page.locator('#restore-confirm').waitFor();
        assert.equal(await page.locator('#restore-title').evaluate((el) => el === document.activeElement), true,
          'focus moves to the confirmation of Put back');
        await assertNoViolations(page, 'the report page with Put back open');
        await page.keyboard.press('Escape');
        await page.locator('#restore-confirm').waitFor({ state: 'detached' });
        assert.equal(await page.locator('#restore').evaluate((el) => el === document.activeElement), true,
          'Escape returns focus to Put back');
      } finally {
        await page.close();
      }
    });

    test('at 200 % zoom the report page clips nothing and does not scroll sideways', async () => {
      const page = await ext.context.newPage();
      try {
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.goto(`chrome-extension://${ext.extensionId}/report.html`);
        await page.locator('#report table tbody tr').first().waitFor();
        const problems = await page.evaluate(() => {
          document.documentElement.style.zoom = '2';
          const width = document.documentElement.clientWidth;
          const out = [];
          if (document.documentElement.scrollWidth > width + 1) out.push(`scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
          for (const el of document.querySelectorAll('button, a[href], h1, h2, h3, p, li, th, td, summary')) {
            if (el.getClientRects().length === 0) continue;
            const r = el.getBoundingClientRect();
            if (r.left < -1 || r.right > width + 1) out.push(`${el.tagName.toLowerCase()}:${el.textContent.trim().slice(0, 30)} sticks out`);
            if (el.matches('button') && el.scrollWidth > el.clientWidth + 1) out.push(`${el.id}: text overflows the button`);
          }
          document.documentElement.style.zoom = '';
          return out;
        });
        assert.deepEqual(problems, [], '200 % zoom, report page');
      } finally {
        await page.close();
      }
    });

    test('reduced motion turns every transition and animation off', async () => {
      const page = await openPopup(ext, { media: { reducedMotion: 'no-preference' } });
      try {
        assert.ok((await motion(page)).length > 0, 'without the preference, the buttons do transition');
        await page.emulateMedia({ reducedMotion: 'reduce' });
        assert.deepEqual(await motion(page), [], 'with prefers-reduced-motion, nothing moves');
      } finally {
        await page.close();
      }
    });

    test('dark mode changes the palette, and the palette keeps enough contrast', async () => {
      const page = await openPopup(ext, { media: { colorScheme: 'light' } });
      try {
        const palette = () => page.evaluate(() => {
          const pick = (sel) => {
            const s = getComputedStyle(document.querySelector(sel));
            return { bg: s.backgroundColor, fg: s.color };
          };
          return { body: pick('body'), primary: pick('#opt-out'), setting: pick('.setting'), status: pick('.status-card'), muted: pick('#report-when') };
        });
        const light = await palette();
        await page.emulateMedia({ colorScheme: 'dark' });
        const dark = await palette();
        for (const part of Object.keys(light)) {
          assert.notDeepEqual(dark[part], light[part], `dark mode changes the colours of ${part}`);
        }
        await assertNoViolations(page, 'the popup in dark mode (color-contrast)', { rules: ['color-contrast'] });
      } finally {
        await page.close();
      }
    });

    test('at 200 % zoom no control is clipped and nothing scrolls sideways', async () => {
      // A 360 px popup at 200 %: 720 device pixels wide, CSS zoom 2.
      const page = await openPopup(ext);
      try {
        await page.setViewportSize({ width: POPUP_SIZE.width * 2, height: 600 });
        for (const view of ['dashboard', 'confirmation']) {
          if (view === 'confirmation') {
            await page.getByRole('button', { name: 'Opt out of everything', exact: true }).click();
            await page.locator('#confirm-list li').first().waitFor();
          }
          const problems = await page.evaluate(() => {
            document.documentElement.style.zoom = '2';
            const width = document.documentElement.clientWidth;
            const out = [];
            if (document.documentElement.scrollWidth > width + 1) {
              out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
            }
            for (const el of document.querySelectorAll('button, a[href], input, label, h1, h2, h3, p, li')) {
              if (el.getClientRects().length === 0 || el.closest('.visually-hidden')) continue;
              const r = el.getBoundingClientRect();
              const name = el.id || `${el.tagName.toLowerCase()}:${el.textContent.trim().slice(0, 30)}`;
              if (r.left < -1 || r.right > width + 1) out.push(`${name} sticks out: ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
              if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') out.push(`${name} clips its text`);
              if (el.matches('button, a.button') && el.scrollWidth > el.clientWidth + 1) out.push(`${name}: text overflows the button`);
            }
            document.documentElement.style.zoom = '';
            return out;
          });
          assert.deepEqual(problems, [], `200 % zoom, ${view}`);
        }
      } finally {
        await page.close();
      }
    });
  });

  describe('guided overlay on a settings page', () => {
    for (const colorScheme of ['light', 'dark']) {
      test(`axe finds nothing in the overlay (${colorScheme})`, async () => {
        replica.reset();
        await resetExtension(ext);
        const page = await ext.context.newPage();
        try {
          await page.emulateMedia({ colorScheme });
          await page.goto(replica.url(AI.paths[0]));
          await turnOffButton(cardOf(page, AI.id)).waitFor({ timeout: 15000 });
          await assertNoViolations(page, `the overlay (${colorScheme})`, { include: [['linkedout-overlay']] });
          // Folded by Esc into its chip, which must pass too.
          await page.keyboard.press('Escape');
          await overlayOf(page).getByRole('button', { name: 'Open the LinkedOut guide again' }).waitFor();
          await assertNoViolations(page, `the overlay's chip (${colorScheme})`, { include: [['linkedout-overlay']] });
        } finally {
          await page.close();
        }
      });
    }

    test('the overlay\'s controls are reachable by Tab with a visible focus indicator; reduced motion stills it', async () => {
      replica.reset();
      await resetExtension(ext);
      const page = await ext.context.newPage();
      try {
        await page.emulateMedia({ reducedMotion: 'reduce' });
        await page.goto(replica.url(AI.paths[0]));
        await turnOffButton(cardOf(page, AI.id)).waitFor({ timeout: 15000 });
        assert.deepEqual(await motion(page, 'linkedout-overlay'), [], 'with prefers-reduced-motion, the overlay does not animate');

        const controls = await page.evaluate(() => [...document.querySelector('linkedout-overlay').shadowRoot
          .querySelectorAll('button, a[href], input')].filter((el) => !el.disabled && el.getClientRects().length > 0)
          .map((el) => `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') || el.textContent.trim()}`));
        const reached = [];
        await page.evaluate(() => document.activeElement?.blur());
        for (let i = 0; i < 200 && reached.length < controls.length; i += 1) {
          await page.keyboard.press('Tab');
          const info = await focusedInfo(page);
          if (info && controls.includes(info.key) && !reached.some((r) => r.key === info.key)) reached.push(info);
        }
        assert.deepEqual(reached.map((r) => r.key), controls, 'Tab reaches every overlay control, in order');
        for (const stop of reached) {
          assert.ok(stop.focusVisible && /solid|auto|dotted|dashed/.test(stop.style) && !/^none/.test(stop.style),
            `${stop.key} shows a focus outline (${stop.style})`);
        }
      } finally {
        await page.close();
      }
    });
  });
});
