// Helpers shared by the popup and the report page (extension pages, ES modules). No engine here: the pages ask
// the service worker, which is the one source of truth.

export const GROUPS = ['ai_training', 'data_sharing', 'ads', 'research', 'marketing', 'cookies'];
export const OUTCOMES = ['turned_off', 'already_off', 'not_offered', 'not_found', 'refused', 'needs_sign_in', 'skipped', 'restored', 'unconfirmed'];
export const LI_ORIGIN = 'https://www.linkedin.com';

/** chrome.i18n.getMessage with substitutions; falls back to the key so that a missing string is visible. */
export function t(key, ...subs) {
  const text = chrome.i18n.getMessage(key, subs.map(String));
  return text || key;
}

/** Fills every [data-i18n] element's text (and [data-i18n-aria] aria-label) from the messages. */
export function localise(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  document.documentElement.lang = chrome.i18n.getUILanguage?.() || 'en';
}

function pickText(value) {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return '';
  const ui = chrome.i18n.getUILanguage?.() ?? 'en';
  return value[ui] ?? value[ui.replace('-', '_')] ?? value[ui.split(/[-_]/)[0]] ?? value.en ?? '';
}

/** A setting's text: the locale's setting_<id>_<field> message, else the rules' text. */
export function settingText(rule, field, id = rule?.id) {
  const fromLocale = chrome.i18n.getMessage(`setting_${id}_${field}`);
  if (fromLocale) return fromLocale;
  const fromRule = pickText(rule?.[field]);
  return fromRule || (field === 'name' ? String(id) : '');
}

export function formatDate(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleString(chrome.i18n.getUILanguage?.() || undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function outcomeText(outcome) {
  return OUTCOMES.includes(outcome) ? t(`outcome_${outcome}`) : String(outcome ?? '');
}

export function stateText(state) {
  return ['on', 'off', 'unknown'].includes(state) ? t(`state_${state}`) : t('state_unknown');
}

/** Small DOM builder: h('p', {class: 'x', text: 'y'}, child...). Text only; never innerHTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value === 'boolean') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** Sends a message to the service worker; answers {ok:false, error} instead of throwing. */
export async function ask(message) {
  try {
    const answer = await chrome.runtime.sendMessage(message);
    return answer ?? { ok: false, error: 'no_answer' };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * A setting's note in the report ({code, params}) in the member's words: the note_<code> message, with the
 * params as $1, $2, ... in the order of their names. A note still in English words (a report of an earlier
 * version, read before the worker migrated it) is shown as it is.
 */
export function noteText(note) {
  if (typeof note === 'string') return note;
  if (!note || typeof note.code !== 'string') return '';
  const params = note.params && typeof note.params === 'object' ? note.params : {};
  return t(`note_${note.code}`, ...Object.keys(params).sort().map((name) => params[name]));
}

/** The report as a list of readable rows (used by the popup summary and the report page). */
export function reportRows(report, rulesById) {
  // Settings that were not part of the run at all (the engine notes them `not_selected`) are left out.
  const unselected = (s) => s.outcome === 'skipped' && (s.note?.code === 'not_selected' || s.note === 'not selected');
  return (report?.settings ?? []).filter((s) => !unselected(s)).map((s) => ({
    id: s.id,
    name: settingText(rulesById.get(s.id), 'name', s.id),
    outcome: s.outcome,
    outcomeText: s.outcome === 'skipped' && (s.after === 'on' || s.after === 'off')
      ? t('outcome_skipped_state', stateText(s.after))
      : outcomeText(s.outcome),
    before: s.before,
    after: s.after,
    checked_at: s.checked_at,
    note: s.note ? noteText(s.note) : null,
  }));
}

export function modeText(mode) {
  return ['opt_out', 'check', 'restore', 'guided'].includes(mode) ? t(`mode_${mode}`) : String(mode ?? '');
}

/** Downloads JSON through a blob URL (no permission needed). */
export function downloadJson(data, filename) {
  const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
