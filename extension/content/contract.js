// LinkedOut content script, part 2 (classic script; the order is in wait.js): what the service worker may tell
// this script, checked before anything is done with it, and the one way to send it anything.
//
// The content script keeps no copy of the contract or of the site: the worker's answer to `hello` carries the
// site's facts, the page's wait spec and the shape of every command (crates/engine/src/contract.rs: SiteFacts,
// HelloAnswer, command_shapes). This file knows only the JSON kinds a shape can name, so that it can hold a
// message to a shape it is given, and the words of the contract the other parts use, which it holds to the
// engine's list in that answer. Registered on the isolated world's globalThis.__linkedout (the page cannot see
// it):
//
//   contract.readHello(answer)  -> {refused: true} | {problem: text} | {site, spec, progress}
//   contract.commandProblem(message, site.commands) -> null when the command fits its shape, else what is wrong
//   contract.refusal(error, message) -> {ok: false, error, message}
//   contract.send(message)      -> Promise of the worker's answer, or null when none came
//   contract.words              -> the contract's words the other parts use, each spelt here alone (see WORDS)
(() => {
  'use strict';

  const ns = (globalThis.__linkedout ??= {});
  if (ns.contract) return;

  const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
  const isIndex = (value) => Number.isSafeInteger(value) && value >= 0;
  const isStrings = (value) => Array.isArray(value) && value.every((v) => typeof v === 'string');
  const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  // How each field kind of the contract (FieldKind) is told apart in JSON.
  const KINDS = Object.freeze({
    string: (v) => typeof v === 'string',
    index: isIndex,
    boolean: (v) => typeof v === 'boolean',
    object: isObject,
    optional_object: (v) => v === null || isObject(v),
    optional_string: (v) => v === null || typeof v === 'string',
    optional_index: (v) => v === null || isIndex(v),
    list: Array.isArray,
  });

  // The contract's words the other parts branch on or answer with, by kind, each mapped to itself so that a part
  // writes `words.actions.offer` and no word is spelt twice: the plan's actions, a progress command's stages and a
  // result's tones (cards.js), page kinds (cards.js) and error codes (main.js, cards.js), as the engine names them
  // (Action, Stage, Tone, PageKind, ErrorCode). readHello holds them to the engine's lists in the answer to hello
  // (SiteFacts.vocabulary): each must be the engine's, and of what the overlay is given to show (WHOLE) it must
  // know every word. tests/e2e/vocabulary.test.js holds them to the engine's source.
  const wordsOf = (...names) => Object.freeze(Object.fromEntries(names.map((name) => [name, name])));
  const WORDS = Object.freeze({
    actions: wordsOf('click', 'offer', 'already_off', 'manual', 'missing'),
    stages: wordsOf('working', 'verifying', 'done'),
    tones: wordsOf('good', 'neutral', 'bad'),
    page_kinds: wordsOf('sign_in'),
    errors: wordsOf('malformed', 'not_ready', 'busy', 'nothing_to_guide'),
  });
  const WHOLE = Object.freeze(['actions', 'stages', 'tones']);

  /** A value as a maintainer reads it in a refusal, short: a refusal must not echo a whole plan back. */
  function shown(value) {
    let text;
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined;
    }
    if (text === undefined) text = String(value);
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
  }

  function commandProblem(message, commands) {
    if (!isObject(message)) return `a command is an object, not ${shown(message)}`;
    const type = message.type;
    if (typeof type !== 'string') return `a command's "type" is a string, not ${shown(type)}`;
    const shape = has(commands, type) ? commands[type] : null;
    if (!shape) return `unknown command ${shown(type)}`;
    for (const field of Object.keys(message)) {
      if (field !== 'type' && !has(shape, field)) return `${type}: unknown field "${field}"`;
    }
    for (const [field, kind] of Object.entries(shape)) {
      if (!has(message, field)) return `${type}: missing field "${field}"`;
      if (!KINDS[kind](message[field])) return `${type}.${field} must be ${kind}, not ${shown(message[field])}`;
    }
    return null;
  }

  /** A selector this browser cannot parse would throw at every snapshot; better refused once, here. */
  function isSelector(value) {
    if (typeof value !== 'string' || value.trim() === '') return false;
    try {
      document.createDocumentFragment().querySelector(value);
      return true;
    } catch {
      return false;
    }
  }

  function isOrigin(value) {
    try {
      return typeof value === 'string' && new URL(value).origin === value;
    } catch {
      return false;
    }
  }

  function specProblem(spec) {
    if (!isObject(spec)) return 'wait_spec is missing';
    if (typeof spec.kind !== 'string') return 'wait_spec.kind is not a string';
    for (const key of ['expect_labelledby', 'expect_ids']) {
      if (!isStrings(spec[key])) return `wait_spec.${key} is not a list of strings`;
    }
    for (const key of ['deadline_ms', 'quiet_ms', 'stable_ms', 'settle_ms', 'busy_settle_ms']) {
      if (!isIndex(spec[key])) return `wait_spec.${key} is not a whole number`;
    }
    return null;
  }

  function vocabularyProblem(vocabulary) {
    if (!isObject(vocabulary)) return 'site.vocabulary is missing';
    for (const [kind, known] of Object.entries(WORDS)) {
      const engine = vocabulary[kind];
      if (!isStrings(engine)) return `site.vocabulary.${kind} is not a list of strings`;
      const ours = Object.keys(known);
      const gone = ours.find((word) => !engine.includes(word));
      if (gone) return `site.vocabulary.${kind} has no ${shown(gone)}`;
      const unknown = WHOLE.includes(kind) ? engine.find((word) => !ours.includes(word)) : undefined;
      if (unknown !== undefined) return `site.vocabulary.${kind}: this script does not know ${shown(unknown)}`;
    }
    return null;
  }

  function siteProblem(site) {
    if (!isObject(site)) return 'site is missing';
    if (!isOrigin(site.origin)) return 'site.origin is not an origin';
    if (!isStrings(site.settings_prefixes) || site.settings_prefixes.some((p) => !p.startsWith('/'))) {
      return 'site.settings_prefixes is not a list of paths';
    }
    const vocabulary = vocabularyProblem(site.vocabulary);
    if (vocabulary) return vocabulary;
    if (!isStrings(site.settings_page_kinds) ||
        site.settings_page_kinds.some((kind) => !site.vocabulary.page_kinds.includes(kind))) {
      return 'site.settings_page_kinds is not a list of page kinds';
    }
    if (!isObject(site.selectors)) return 'site.selectors is missing';
    for (const key of ['switch', 'dialog', 'button', 'link', 'signed_out']) {
      if (!isSelector(site.selectors[key])) return `site.selectors.${key} is not a selector`;
    }
    if (typeof site.signed_in_storage_prefix !== 'string' || site.signed_in_storage_prefix === '') {
      return 'site.signed_in_storage_prefix is not a string';
    }
    if (typeof site.account_marker !== 'string' || site.account_marker === '') {
      return 'site.account_marker is not a string';
    }
    if (typeof site.busy_attribute !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(site.busy_attribute)) {
      return 'site.busy_attribute is not an attribute name';
    }
    for (const key of ['max_text', 'max_links']) {
      if (!isIndex(site[key])) return `site.${key} is not a whole number`;
    }
    if (!isObject(site.commands)) return 'site.commands is missing';
    for (const [type, shape] of Object.entries(site.commands)) {
      if (!isObject(shape)) return `site.commands.${type} is not an object`;
      for (const [field, kind] of Object.entries(shape)) {
        if (field === 'type' || !has(KINDS, kind)) return `site.commands.${type}.${field}: no such kind ${shown(kind)}`;
      }
    }
    return null;
  }

  /**
   * The facts of this page, from the worker's answer to `hello`. A refused or missing answer is no fault (the
   * worker says this is no page of its own); a malformed one is, and the caller says so once.
   */
  function readHello(answer) {
    if (!isObject(answer) || answer.ok !== true) return { refused: true };
    const problem = specProblem(answer.wait_spec) ?? siteProblem(answer.site);
    if (problem) return { problem };
    const progress = answer.progress ?? null;
    if (progress !== null) {
      const wrong = progress.type === 'progress'
        ? commandProblem(progress, answer.site.commands)
        : `progress is not a progress command: ${shown(progress)}`;
      if (wrong) return { problem: wrong };
    }
    return { site: answer.site, spec: answer.wait_spec, progress };
  }

  function refusal(error, message) {
    return { ok: false, error, message };
  }

  function send(message) {
    try {
      return chrome.runtime.sendMessage(message).catch(() => null);
    } catch {
      // The extension was reloaded or removed: this script is orphaned and stays quiet.
      return Promise.resolve(null);
    }
  }

  ns.contract = Object.freeze({ readHello, commandProblem, refusal, send, words: WORDS });
})();
