// The readable report: the latest report and the history, read from chrome.storage.local.
import { ask, downloadJson, formatDate, h, localise, modeText, reportRows, stateText, t } from './shared.js';

const $ = (id) => document.getElementById(id);

function table(report, byId, captionText) {
  const rows = reportRows(report, byId).map((row) => h('tr', { 'data-setting': row.id },
    h('th', { scope: 'row', text: row.name }),
    h('td', { class: `outcome ${row.outcome}`, text: row.outcomeText }),
    h('td', { text: stateText(row.before) }),
    h('td', { text: stateText(row.after) }),
    h('td', { text: formatDate(row.checked_at) }),
    h('td', { text: row.note ?? '' })));
  return h('table', {},
    h('caption', { text: captionText }),
    h('thead', {}, h('tr', {},
      ...['report_col_setting', 'report_col_outcome', 'report_col_before', 'report_col_after', 'report_col_checked', 'report_col_note']
        .map((key) => h('th', { scope: 'col', text: t(key) })))),
    h('tbody', {}, ...rows));
}

function summary(report) {
  const counts = {};
  for (const s of report.settings ?? []) counts[s.outcome] = (counts[s.outcome] ?? 0) + 1;
  const parts = Object.entries(counts).map(([outcome, n]) => `${t(`outcome_${outcome}`)} (${n})`);
  return parts.join(' · ');
}

function caption(report) {
  const when = formatDate(report.finished_at ?? report.started_at);
  return report.complete === false
    ? t('report_when_incomplete', modeText(report.mode), when)
    : t('report_when', modeText(report.mode), when);
}

async function main() {
  localise();
  const [{ report = null, history = [] }, status] = await Promise.all([
    chrome.storage.local.get(['report', 'history']),
    ask({ type: 'status' }),
  ]);
  const byId = new Map((status.ok ? status.rules : []).map((rule) => [rule.id, rule]));
  if (!report) {
    $('empty').hidden = false;
    return;
  }
  const box = $('report');
  box.append(h('h2', { text: t('report_latest') }), h('p', { text: summary(report) }), table(report, byId, caption(report)));
  if (report.unknown_settings?.length) {
    box.append(h('p', { text: t('report_unknown_settings', report.unknown_settings.length) }),
      h('ul', {}, ...report.unknown_settings.map((path) => h('li', {}, h('code', { text: path })))));
  }
  $('tools').hidden = false;
  $('export').addEventListener('click', () => {
    const stamp = String(report.finished_at ?? report.started_at ?? 'report').replace(/[:.]/g, '-');
    downloadJson({ report, history }, `linkedout-report-${stamp}.json`);
  });
  if (history.length) {
    $('history-section').hidden = false;
    $('history').append(...history.map((old) => h('details', {},
      h('summary', { text: `${caption(old)}: ${summary(old)}` }), table(old, byId, caption(old)))));
  }
}

main();
