// LinkedOut content script, part 6 (classic script; the order is in wait.js): what the guided overlay says. A
// card per item of the page's plan, the run's progress, and a guided change's result. Every word is the
// extension's own UI text (chrome.i18n) or the worker's fallback text; what an outcome means for the member comes
// with it (`tone`), so nothing here judges one. Registered on the isolated world's globalThis.__linkedout:
//
//   cards.draw(page, overlayCommand), cards.progress(page, progressCommand), cards.result(page, resultCommand),
//   cards.working(settingId)
//
// The commands have been checked against their shapes (contract.js); `page` is a snapshot reader (snapshot.js).
(() => {
  'use strict';

  const ns = (globalThis.__linkedout ??= {});
  // Without its frame or its way to the worker there is nothing to say; main.js notices the part missing.
  if (ns.cards || !ns.overlay || !ns.contract) return;

  const { ensure, current, remove, reposition, guard, h, t, setStatus, prefersReducedMotion } = ns.overlay;
  const { send, words } = ns.contract;
  const { actions: ACTION, stages: STAGE, tones: TONE, page_kinds: KIND, errors: ERROR } = words;

  // A tone is a class name in the overlay's own stylesheet; anything else from the worker is drawn plain.
  const toneClass = (tone) => (/^[a-z_]{1,32}$/.test(tone) ? tone : '');

  /** A refusal's code in the member's words (`error_<code>`); a code without words, or none, as ov_error says. */
  function refusalText(error) {
    const said = typeof error === 'string' && /^[a-z_]{1,40}$/.test(error) ? t(`error_${error}`) : '';
    return said ? (t('ov_refused', [said]) || said) : t('ov_error', [error || '?']);
  }

  function settingText(id, field, texts) {
    const fromLocale = t(`setting_${id}_${field}`);
    if (fromLocale) return fromLocale;
    const fallback = texts?.[id]?.[field];
    return typeof fallback === 'string' ? fallback : (field === 'name' ? id : '');
  }

  function findSwitch(page, item) {
    if (!Number.isInteger(item.switch_index)) return null;
    return page.listSwitches()[item.switch_index] ?? null;
  }

  function addCard(state, item, texts) {
    const id = item.setting_id;
    const name = settingText(id, 'name', texts);
    const explanation = settingText(id, 'explanation', texts);
    const offMeans = settingText(id, 'off_means', texts);
    const headingId = `lo-h-${id}`;
    const card = h('article', { class: 'card', 'aria-labelledby': headingId, 'data-setting': id });
    card.append(h('h3', { id: headingId, text: name }));
    const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    const entry = { card, status, buttons: [], hl: null, el: null, fingerprint: null, action: item.action, next: null };
    let deferNext = false;

    const el = findSwitch(state.page, item);
    const asks = item.action === ACTION.offer || item.action === ACTION.click;
    if (el && (asks || item.action === ACTION.manual || item.action === ACTION.already_off)) {
      entry.el = el;
      entry.fingerprint = state.page.fingerprintOf(el);
      const look = { [ACTION.manual]: ' manual', [ACTION.already_off]: ' done' }[item.action] ?? '';
      entry.hl = h('div', { class: `hl${look}` });
      state.layer.append(entry.hl);
    }

    if (asks) {
      if (explanation) card.append(h('p', { text: explanation }));
      if (offMeans) card.append(h('p', { class: 'muted', text: t('ov_off_means', [offMeans]) || offMeans }));
      card.append(status);
      if (state.runElsewhere) {
        // The worker would refuse a yes now: say why instead of offering one.
        setStatus(entry, t('ov_run_elsewhere'));
      } else {
        // A short label that does not wrap; the setting's name in the accessible name, which begins the same.
        const turnOff = h('button', {
          class: 'primary', type: 'button', 'aria-label': t('ov_turn_off', [name]) || `Turn off ${name}`,
          text: t('ov_turn_off_short') || 'Turn off',
        });
        const notNow = h('button', { type: 'button', text: t('ov_not_now') || 'Not now' });
        guard(state, turnOff, () => onTurnOff(entry, id));
        guard(state, notNow, () => onNotNow(entry, id));
        entry.buttons.push(turnOff, notNow);
        card.append(h('div', { class: 'row' }, turnOff, notNow));
      }
    } else if (item.action === ACTION.already_off) {
      setStatus(entry, t('ov_already_off'), TONE.good);
      card.append(status);
      deferNext = true;
    } else if (item.action === ACTION.manual) {
      if (explanation) card.append(h('p', { text: explanation }));
      card.append(h('p', { text: entry.hl ? t('ov_manual') : t('ov_manual_none') }));
      if (offMeans) card.append(h('p', { class: 'muted', text: t('ov_off_means', [offMeans]) || offMeans }));
      card.append(status);
      deferNext = true;
    } else if (item.action === ACTION.missing) {
      card.append(h('p', { class: 'muted', text: t('ov_missing') }));
      card.append(status);
    } else {
      card.append(status);
    }
    state.list.append(card);
    state.items.set(id, entry);
    if (deferNext) offerNext(entry, id);
    return entry;
  }

  function draw(page, message) {
    const plan = message.plan;
    const items = Array.isArray(plan.items) ? plan.items : [];
    const unknown = Array.isArray(plan.unknown_settings) ? plan.unknown_settings : [];
    const signedOut = plan.signed_in === false || plan.page?.kind === KIND.sign_in;
    remove();
    if (items.length === 0 && unknown.length === 0 && !signedOut) return;
    const state = ensure(page);
    if (signedOut) state.list.append(h('p', { class: `status ${TONE.bad}`, text: t('ov_signed_out') }));
    for (const item of items) {
      if (item && typeof item.setting_id === 'string') addCard(state, item, message.texts);
    }
    if (unknown.length) {
      state.list.append(h('p', { class: 'muted', text: t('ov_unknown_settings', [String(unknown.length)]) }));
    }
    reposition();
    const first = Array.from(state.items.values()).find((entry) => entry.el && entry.action !== ACTION.already_off);
    if (first) {
      const rect = page.rectOf(first.el);
      if (rect.bottom < 0 || rect.top > window.innerHeight) {
        first.el.scrollIntoView({ block: 'center', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
      }
    }
  }

  /** Offers "Next setting" on a card whose setting is dealt with, so that the tour goes on page by page. */
  function offerNext(entry, id) {
    const state = current();
    if (!state || entry.next) return;
    const next = h('button', { type: 'button', text: t('ov_next_setting') || 'Next setting' });
    guard(state, next, async () => {
      next.disabled = true;
      const answer = await send({ type: 'next_setting', setting_id: id });
      if (answer?.ok) return;
      next.remove();
      // Nothing left to guide to is the tour's happy end, not a failure.
      if (answer?.error === ERROR.nothing_to_guide) setStatus(entry, t('ov_tour_done'), TONE.good);
      else setStatus(entry, refusalText(answer?.error), TONE.bad);
    });
    entry.next = next;
    entry.card.append(h('div', { class: 'row' }, next));
  }

  async function onTurnOff(entry, id) {
    for (const button of entry.buttons) button.disabled = true;
    setStatus(entry, t('ov_working'));
    const answer = await send({ type: 'turn_off', setting_id: id });
    if (!answer || answer.ok === false) {
      setStatus(entry, refusalText(answer?.error), TONE.bad);
      for (const button of entry.buttons) button.disabled = false;
    }
  }

  async function onNotNow(entry, id) {
    for (const button of entry.buttons) button.disabled = true;
    await send({ type: 'not_now', setting_id: id });
    setStatus(entry, t('ov_declined'));
    for (const button of entry.buttons) button.remove();
    entry.buttons = [];
    if (entry.hl) {
      entry.hl.remove();
      entry.hl = null;
    }
    offerNext(entry, id);
  }

  function working(id) {
    const entry = current()?.items.get(id);
    if (entry) setStatus(entry, t('ov_working'));
  }

  function progress(page, message) {
    const state = ensure(page);
    const entry = message.setting_id === null ? null : state.items.get(message.setting_id);
    if (entry && message.stage !== STAGE.done) {
      for (const button of entry.buttons) button.disabled = true;
      setStatus(entry, message.stage === STAGE.verifying ? t('ov_checking') : t('ov_working'));
      return;
    }
    const lines = message.checklist.filter(isLine);
    const now = lines.find((line) => line.current);
    if (message.stage === STAGE.done) state.note.textContent = t('ov_run_done');
    else if (now) {
      const name = settingText(now.setting_id, 'name', { [now.setting_id]: { name: now.name } });
      state.note.textContent = t('ov_run_current', [name, String(message.done), String(message.total)]);
    }
    else if (message.stage === STAGE.verifying) state.note.textContent = t('ov_checking');
    else state.note.textContent = t('ov_run_progress', [String(message.done), String(message.total)]);
    drawChecklist(state, message.stage === STAGE.done ? [] : lines);
  }

  /** A checklist line as the worker sends it (the command's shape is checked; its lines are looked at here). */
  function isLine(line) {
    return line !== null && typeof line === 'object' && typeof line.setting_id === 'string'
      && typeof line.name === 'string' && typeof line.current === 'boolean' && typeof line.switched === 'boolean'
      && (line.outcome === null || typeof line.outcome === 'string');
  }

  /** What one line of the checklist says: its outcome once decided, else where LinkedOut is with it. */
  function lineText(line) {
    if (line.outcome) return t(`outcome_${line.outcome}`) || line.outcome;
    if (line.switched) return t('ov_line_switched');
    return line.current ? t('ov_line_now') : t('ov_line_waiting');
  }

  /** The run's checklist under the panel's note: every selected setting, its outcome as it lands. */
  function drawChecklist(state, lines) {
    if (lines.length === 0) {
      state.checklist?.remove();
      state.checklist = null;
      return;
    }
    if (!state.checklist?.isConnected) {
      state.checklist = h('ol', { class: 'checklist', 'aria-label': t('ov_checklist_label') });
      state.note.after(state.checklist);
    }
    state.checklist.replaceChildren(...lines.map((line) => h('li', {
      class: [toneClass(line.tone ?? ''), line.current ? 'current' : ''].filter(Boolean).join(' '),
      'data-setting': line.setting_id,
      'aria-current': line.current ? 'step' : null,
    }, h('span', { class: 'name', text: settingText(line.setting_id, 'name', { [line.setting_id]: { name: line.name } }) }), ': ',
    h('span', { class: 'line-state', text: lineText(line) }))));
    reposition();
  }

  function result(page, message) {
    const id = message.setting_id;
    const state = ensure(page);
    const entry = state.items.get(id) ?? addCard(state, { setting_id: id, action: null }, message.texts);
    for (const button of entry.buttons) button.remove();
    entry.buttons = [];
    const outcome = message.outcome;
    // A verified outcome may have words of its own ("...confirms it after a fresh page load"); else the plain ones.
    const text = (message.verified && t(`outcome_${outcome}_verified`)) || t(`outcome_${outcome}`) || outcome;
    const tone = toneClass(message.tone);
    setStatus(entry, text, tone);
    if (entry.hl) entry.hl.className = `hl${tone ? ` ${tone}` : ''}`;
    reposition();
    offerNext(entry, id);
  }

  ns.cards = Object.freeze({ draw, progress, result, working });
})();
