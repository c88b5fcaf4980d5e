// Reading a page saved from linkedin.com, as Chromium's "Save page as" writes it: "Webpage, HTML only" or
// "Webpage, Complete" (an .html file, with its resources in a "<name>_files" folder beside it), or "Webpage, Single
// File" (MHTML: a MIME multipart/related message whose parts carry their original URLs).
//
//   readSavedPage(file, {url}) -> {kind: 'html'|'mhtml', url, html: Buffer, parts: Map(url -> {type, body}),
//                                  filesDir: string|null}
//
// `url` is where the page was saved from: the --url given, else what the file says (MHTML's
// Snapshot-Content-Location or its first HTML part's Content-Location; the "saved from url" comment Chromium puts at
// the top of an HTML file). A file that names none, and no --url, is refused with a message that says so.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/** A refusal the command line prints as it is (no stack): bad input gets a clear message. */
export class InputError extends Error {}

const SAVED_FROM = /<!--\s*saved from url=\(\d+\)(\S+?)\s*-->/i;

function headerBlock(text) {
  // Header lines, with folded continuation lines (starting with white space) joined.
  const headers = new Map();
  let last = null;
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, `${headers.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    headers.set(last, line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeQuotedPrintable(text) {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < soft.length; i += 1) {
    const c = soft[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      // Quoted-printable text is 7-bit; anything else is kept as its UTF-8 bytes.
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes);
}

function decodeBody(body, encoding) {
  switch ((encoding || '').toLowerCase()) {
    case 'quoted-printable': return decodeQuotedPrintable(body);
    case 'base64': return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    default: return Buffer.from(body, 'binary');
  }
}

function isMhtml(file, text) {
  const ext = extname(file).toLowerCase();
  if (ext === '.mhtml' || ext === '.mht') return true;
  const head = text.slice(0, 4096);
  return /^(From|MIME-Version|Snapshot-Content-Location|Content-Type):/im.test(head.split(/\r?\n\r?\n/)[0] ?? '') &&
    /multipart\/related/i.test(head);
}

function readMhtml(file, raw, url) {
  // Headers and structure are ASCII; bodies are decoded per part, so the text is read byte for byte.
  const text = raw.toString('binary');
  const split = text.search(/\r?\n\r?\n/);
  if (split < 0) throw new InputError(`${file}: not an MHTML file (no header block)`);
  const headers = headerBlock(text.slice(0, split));
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  if (!boundary) throw new InputError(`${file}: an MHTML file without a multipart boundary`);
  const parts = new Map();
  const cids = new Map();
  let main = null;
  for (const chunk of text.slice(split).split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break; // the closing boundary
    const body = chunk.replace(/^\r?\n/, '');
    const end = body.search(/\r?\n\r?\n/);
    if (end < 0) continue;
    const h = headerBlock(body.slice(0, end));
    const content = body.slice(end).replace(/^\r?\n\r?\n/, '').replace(/\r?\n$/, '');
    const part = {
      type: (h.get('content-type') ?? 'application/octet-stream').split(';')[0].trim(),
      location: h.get('content-location') ?? null,
      body: decodeBody(content, h.get('content-transfer-encoding')),
    };
    const cid = /<([^>]+)>/.exec(h.get('content-id') ?? '')?.[1];
    if (cid) cids.set(cid, part);
    if (part.location && /^https?:/i.test(part.location) && !parts.has(part.location)) parts.set(part.location, part);
    if (!main && part.type === 'text/html') main = part;
  }
  if (!main) throw new InputError(`${file}: the MHTML file has no HTML part`);
  const pageUrl = url ?? headers.get('snapshot-content-location') ?? main.location;
  if (!pageUrl) throw new InputError(`${file}: the MHTML file does not say where it was saved from: pass --url URL`);
  // Chromium refers to a saved frame as cid:<Content-ID>. A frame is served at the URL it was saved from, so that
  // it is of the same origin as the page only if it was.
  const rewrite = (buffer) => Buffer.from(buffer.toString('utf8').replace(/cid:([^"'\s>)]+)/g, (whole, id) => {
    const target = cids.get(id);
    return target?.location && /^https?:/i.test(target.location) ? target.location : whole;
  }), 'utf8');
  for (const part of parts.values()) if (part.type === 'text/html') part.body = rewrite(part.body);
  const html = rewrite(main.body);
  return { kind: 'mhtml', url: pageUrl, html, parts, filesDir: null };
}

function readHtml(file, raw, url) {
  const text = raw.toString('utf8');
  const pageUrl = url ?? SAVED_FROM.exec(text.slice(0, 4096))?.[1];
  if (!pageUrl) {
    throw new InputError(`${file}: the HTML file does not say where it was saved from (no "saved from url" comment): pass --url URL`);
  }
  // "Webpage, Complete" keeps the page's resources in "<name>_files" beside it.
  const dir = join(dirname(file), `${basename(file, extname(file))}_files`);
  return { kind: 'html', url: pageUrl, html: raw, parts: new Map(), filesDir: existsSync(dir) ? dir : null };
}

/** Reads a saved page (see the file's comment); `url` overrides what the file says. */
export function readSavedPage(file, { url } = {}) {
  if (!existsSync(file) || !statSync(file).isFile()) throw new InputError(`${file}: no such file`);
  if (url !== undefined) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      throw new InputError(`--url ${url}: not a URL`);
    }
    url = parsed.href;
  }
  const raw = readFileSync(file);
  if (raw.length === 0) throw new InputError(`${file}: the file is empty`);
  const page = isMhtml(file, raw.subarray(0, 4096).toString('binary')) ? readMhtml(file, raw, url) : readHtml(file, raw, url);
  let parsed;
  try {
    parsed = new URL(page.url);
  } catch {
    throw new InputError(`${file}: it names "${page.url}" as its URL, which is not one: pass --url URL`);
  }
  page.url = parsed.href.replace(/#.*$/, '');
  return page;
}
