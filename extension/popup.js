// The LinkedOut dashboard. Everything it shows comes from the service worker's `status` answer; every action is
// a message to the worker, which checks and validates it through the engine.
import {
  GROUPS, LI_ORIGIN, ask, downloadJson, formatDate, h, localise, reportRows, settingText, stateText, t, modeText,
} from './shared.js';

const $ = (id) => document.getElementById(id);
let current = null; // the last status answer

function rulesById() {
  return new Map((current?.rules ?? []).map((rule) => [rule.id, rule]));
}

function notice(text, tone = 'info') {
  return h('p', { class: `notice ${tone}`, text });
}

/** A refusal's code in the member's words (`error_<code>`); anything else (no answer, a browser error) as it is. */
function errorText(error) {
  const words = typeof error === 'string' && /^[a-z_]{1,40}$/.test(error) ? chrome.i18n.getMessage(`error_${error}`) : '';
  return words || String(error);
}

function renderNotices() {
  const box = $('notices');
  box.replaceChildren();
  if (!current) return;
  // Nothing left to guide to is no failure: its words stand alone.
  if (current.error === 'nothing_to_guide') box.append(notice(errorText(current.error), 'info'));
  else if (current.error) box.append(notice(t('popup_error', errorText(current.error)), 'bad'));
  const report = current.report;
  const stopped = current.stopped;
  const signIn = current.sign_in_needed;
  if (signIn) {
    const count = signIn.settings?.length ?? 0;
    box.append(h('div', { class: 'notice bad sign-in-first' },
      h('p', { text: signIn.signed_in_at ? t('popup_signed_in_continue', count) : t('popup_sign_in_first') }),
      signIn.signed_in_at ? null : h('p', { class: 'small', text: t('popup_sign_in_then', count) }),
      signIn.signed_in_at ? null : h('p', {},
        h('a', { href: `${LI_ORIGIN}/login`, target: '_blank', rel: 'noreferrer', text: t('popup_sign_in_open') }))));
  } else if (stopped) {
    box.append(h('div', { class: 'notice bad stopped' },
      h('p', { text: t('popup_stopped', stopped.changed, stopped.not_reached) }),
      h('p', { class: 'small', text: t('popup_stopped_hint') })));
  }
  if (report?.settings?.some((s) => s.outcome === 'needs_sign_in')) box.append(notice(t('popup_sign_in'), 'bad'));
  if (current.reminder_due) box.append(notice(t('popup_reminder_due'), 'info'));
  if (current.storage_error) box.append(notice(t('popup_storage_error'), 'bad'));
  if (current.storage_notice) {
    box.append(notice(t(current.storage_notice.report_kept ? 'popup_storage_damaged' : 'popup_storage_damaged_no_report'), 'bad'));
  }
  for (const path of current.unknown_found ?? []) {
    box.append(h('p', { class: 'notice info unknown-setting', 'data-path': path },
      t('popup_unknown_setting'), ' ',
      h('a', { href: `${LI_ORIGIN}${path}`, target: '_blank', rel: 'noreferrer', text: path })));
  }
}

const SETTINGS_PREFIXES = ['/mypreferences/', '/psettings/'];
const MAX_UNKNOWN_SHOWN = 10;

/** Settings pages no rule knows, as LinkedIn paths: what the service worker has seen, and the latest report's. */
function unknownSettings(status) {
  const found = [];
  const add = (value) => {
    const path = typeof value === 'string' ? value : value?.path;
    if (typeof path !== 'string' || path.length > 300 || !/^\/[A-Za-z0-9/_.-]*$/.test(path)) return;
    if (!SETTINGS_PREFIXES.some((p) => path.startsWith(p)) || found.includes(path)) return;
    found.push(path);
  };
  for (const value of Array.isArray(status?.unknown_settings) ? status.unknown_settings : []) add(value);
  for (const value of status?.report?.unknown_settings ?? []) add(value);
  return found.slice(0, MAX_UNKNOWN_SHOWN);
}

/** Whose settings these are, once a LinkedIn page has named the member. */
function renderAccount() {
  const account = current?.account;
  $('account').hidden = !account;
  if (account) $('account').textContent = t('popup_account', account.name);
}

function renderActions() {
  const running = Boolean(current?.run);
  for (const id of ['opt-out', 'guide', 'check']) $(id).disabled = running || !current?.rules?.length;
  $('restore').disabled = running || !(current?.restorable?.length);
  $('restore').hidden = !(current?.restorable?.length);
  $('resume').hidden = !current?.stopped || Boolean(current?.sign_in_needed);
  $('resume').disabled = running || !current?.stopped;
  $('continue').hidden = !current?.sign_in_needed;
  $('continue').disabled = running || !current?.sign_in_needed;
}

function renderProgress() {
  const run = current?.run;
  $('progress').hidden = !run;
  if (!run) return;
  const now = (run.checklist ?? []).find((line) => line.current);
  $('progress-text').textContent = now
    ? t('progress_current', now.name, run.done, run.total)
    : t('progress_text', modeText(run.mode), run.done, run.total);
  $('progress-bar').max = Math.max(run.total, 1);
  $('progress-bar').value = run.done;
}

function renderReport() {
  const report = current?.report;
  $('report').hidden = !report;
  if (!report) return;
  const byId = rulesById();
  const when = formatDate(report.finished_at ?? report.started_at);
  $('report-when').textContent = report.complete === false
    ? t('report_when_incomplete', modeText(report.mode), when)
    : t('report_when', modeText(report.mode), when);
  const list = $('report-list');
  list.replaceChildren();
  for (const row of reportRows(report, byId)) {
    list.append(h('li', { class: `outcome ${row.outcome}` },
      h('span', { class: 'name', text: row.name }), ': ', h('span', { text: row.outcomeText })));
  }
  if (report.unknown_settings?.length) {
    list.append(h('li', { class: 'muted', text: t('report_unknown_settings', report.unknown_settings.length) }));
  }
}

function stateLine(state) {
  if (!state) return t('state_never_read');
  return t('state_read_at', stateText(state.state), formatDate(state.checked_at));
}

function renderSettings() {
  const box = $('groups');
  box.replaceChildren();
  const rules = current?.rules ?? [];
  const states = current?.states ?? {};
  const groups = [...GROUPS, ...new Set(rules.map((r) => r.group).filter((g) => !GROUPS.includes(g)))];
  for (const group of groups) {
    const inGroup = rules.filter((rule) => rule.group === group);
    if (inGroup.length === 0) continue;
    const headingId = `group-${group}`;
    const list = h('ul', { class: 'settings' });
    for (const rule of inGroup) {
      const state = states[rule.id];
      const path = Array.isArray(rule.paths) ? rule.paths[0] : null;
      const name = settingText(rule, 'name');
      list.append(h('li', { class: `setting state-${state?.state ?? 'unread'}`, 'data-setting': rule.id },
        h('div', { class: 'setting-head' },
          h('span', { class: 'name', text: name }),
          h('span', { class: `tag ${rule.recommended ? 'rec' : 'opt'}`, text: rule.recommended ? t('tag_recommended') : t('tag_optional') })),
        h('p', { class: 'explanation', text: settingText(rule, 'explanation') }),
        h('p', { class: 'state' },
          h('span', { class: `dot ${state?.state ?? 'unread'}`, 'aria-hidden': 'true' }), stateLine(state)),
        // The visible text starts the accessible name (WCAG 2.5.3); the setting's name follows for screen readers.
        path ? h('a', { href: `${LI_ORIGIN}${path}`, target: '_blank', rel: 'noreferrer' },
          t('setting_open_page'), h('span', { class: 'visually-hidden', text: `: ${name}` })) : null));
    }
    box.append(h('section', { class: 'group', 'aria-labelledby': headingId },
      h('h3', { id: headingId, text: t(`group_${group}`) }), list));
  }
}

function renderOptions() {
  $('opt-gpc').checked = Boolean(current?.options?.gpc);
  $('opt-reminder').checked = Boolean(current?.options?.reminder);
}

function render() {
  renderNotices();
  renderAccount();
  renderActions();
  renderProgress();
  renderReport();
  renderSettings();
  renderOptions();
}

/** Reads the status afresh; `error` is the code of a request just refused, shown until the next refresh. */
async function refresh(error = undefined) {
  const answer = await ask({ type: 'status' });
  if (answer.ok) current = { ...answer, unknown_found: unknownSettings(answer), error };
  else current = { ...(current ?? {}), error: error ?? answer.error };
  render();
}

// ------------------------------------------------------------------ opt out: confirmation listing each change

function confirmCount() {
  return $('confirm-list').querySelectorAll('input[type="checkbox"]:checked').length;
}

/** Recommended settings last read as off: read again in the same run, so the report covers them too. */
function recheckIds() {
  return Array.from($('confirm-list').querySelectorAll('li.already-off[data-recommended="true"]'))
    .map((li) => li.dataset.setting);
}

function updateConfirmButton() {
  const n = confirmCount();
  const again = recheckIds().length;
  let label;
  if (n > 0) label = n === 1 ? t('confirm_go_one') : t('confirm_go', n);
  else label = again === 1 ? t('confirm_check_again_one') : t('confirm_check_again', again);
  $('confirm-go').textContent = label;
  $('confirm-go').disabled = n === 0 && again === 0;
}

function openConfirm() {
  // The buttons stay disabled until the rules are loaded (popup.html); this holds even if one is pressed sooner.
  if (!current?.rules?.length) return;
  const list = $('confirm-list');
  list.replaceChildren();
  const states = current?.states ?? {};
  for (const rule of current?.rules ?? []) {
    const name = settingText(rule, 'name');
    const id = `c-${rule.id}`;
    if (states[rule.id]?.state === 'off') {
      list.append(h('li', { class: 'already-off', 'data-setting': rule.id, 'data-recommended': String(Boolean(rule.recommended)) },
        h('span', { class: 'name', text: name }), ' ', h('span', { class: 'muted', text: t('confirm_already_off') })));
      continue;
    }
    list.append(h('li', { 'data-setting': rule.id },
      h('input', { type: 'checkbox', id, value: rule.id, checked: Boolean(rule.recommended), onchange: updateConfirmButton }),
      h('label', { for: id }, h('span', { class: 'name', text: name }),
        rule.recommended ? null : h('span', { class: 'tag opt', text: t('tag_optional') })),
      h('p', { class: 'muted small', text: settingText(rule, 'off_means') })));
  }
  updateConfirmButton();
  $('actions').hidden = true;
  $('confirm').hidden = false;
  list.querySelector('input')?.focus();
}

function closeConfirm() {
  $('confirm').hidden = true;
  $('actions').hidden = false;
  $('opt-out').focus();
}

async function submitConfirm(event) {
  event.preventDefault();
  if (!event.isTrusted) return;
  const chosen = Array.from($('confirm-list').querySelectorAll('input[type="checkbox"]:checked')).map((i) => i.value);
  const recheck = recheckIds();
  if (chosen.length === 0 && recheck.length === 0) return;
  $('confirm-go').disabled = true;
  const answer = await ask({ type: 'start_run', mode: 'opt_out', settings: [...chosen, ...recheck] });
  $('confirm').hidden = true;
  $('actions').hidden = false;
  await refresh(answer.ok ? undefined : answer.error);
}

// ------------------------------------------------------------------ restore

function openRestore() {
  const byId = rulesById();
  const list = $('restore-list');
  list.replaceChildren(...(current?.restorable ?? []).map((id) => h('li', { text: settingText(byId.get(id), 'name', id) })));
  $('restore-confirm').hidden = false;
  $('restore-go').focus();
}

async function doRestore(event) {
  if (!event.isTrusted) return;
  $('restore-go').disabled = true;
  const answer = await ask({ type: 'restore' });
  $('restore-go').disabled = false;
  $('restore-confirm').hidden = true;
  await refresh(answer.ok ? undefined : answer.error);
}

// ------------------------------------------------------------------ wiring

async function simple(message) {
  const answer = await ask(message);
  if (!answer.ok) {
    current = { ...(current ?? {}), error: answer.error };
    render();
    return;
  }
  await refresh();
}

async function setOption(key, value) {
  const answer = await ask({ type: 'set_options', options: { [key]: value } });
  await refresh(answer.ok ? undefined : answer.error);
}

function wire() {
  $('opt-out').addEventListener('click', openConfirm);
  $('confirm-form').addEventListener('submit', submitConfirm);
  $('confirm-cancel').addEventListener('click', closeConfirm);
  $('guide').addEventListener('click', () => simple({ type: 'guide' }));
  $('check').addEventListener('click', () => simple({
    type: 'start_run', mode: 'check', settings: (current?.rules ?? []).map((r) => r.id),
  }));
  $('resume').addEventListener('click', () => simple({ type: 'resume' }));
  $('continue').addEventListener('click', () => simple({ type: 'resume' }));
  $('cancel-run').addEventListener('click', () => simple({ type: 'cancel_run' }));
  $('export').addEventListener('click', () => {
    const report = current?.report;
    if (!report) return;
    const stamp = String(report.finished_at ?? report.started_at ?? 'report').replace(/[:.]/g, '-');
    downloadJson(report, `linkedout-report-${stamp}.json`);
  });
  $('restore').addEventListener('click', openRestore);
  $('restore-go').addEventListener('click', doRestore);
  $('restore-cancel').addEventListener('click', () => {
    $('restore-confirm').hidden = true;
    $('restore').focus();
  });
  $('opt-gpc').addEventListener('change', (e) => setOption('gpc', e.target.checked));
  $('opt-reminder').addEventListener('change', (e) => setOption('reminder', e.target.checked));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('confirm').hidden) closeConfirm();
  });

  let pending = 0;
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 100);
  };
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && ['run', 'report', 'states', 'options', 'reminder_due', 'unknown_settings', 'accounts'].some((k) => k in changes)) soon();
    if (area === 'session' && 'sign_in_needed' in changes) soon();
  });
  chrome.runtime.onMessage.addListener((message, sender) => {
    if (sender?.id !== chrome.runtime.id) return;
    if (message?.type === 'run_update' || message?.type === 'run_finished') soon();
  });
}

localise();
wire();
refresh();
