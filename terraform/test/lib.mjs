// Shared helpers of the static Terraform checks (no terraform binary is available).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { parse } from '@cdktf/hcl2json';

export const TF_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MODULES_DIR = join(TF_ROOT, 'modules');
export const ENVS_DIR = join(TF_ROOT, 'environments');
/** The composition module: resource group + every module; each environment calls it once. */
export const PLATFORM = 'platform';
export const PLATFORM_DIR = join(MODULES_DIR, PLATFORM);

const SKIP_DIRS = new Set(['node_modules', '.terraform', '.git']);

/** Every file under dir (recursively), skipping node_modules/.terraform/.git. */
export function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

export const tfFiles = (dir = TF_ROOT) => walk(dir).filter((f) => f.endsWith('.tf')).sort();
export const rel = (p) => relative(TF_ROOT, p);
export const subdirs = (dir) =>
  readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory()).sort();

/** Parses HCL text; the error message always names the file. */
export async function parseHcl(name, text) {
  try {
    return await parse(name, text);
  } catch (e) {
    throw new Error(`${name}: HCL does not parse: ${e.message ?? e}`);
  }
}

/** Parses every .tf file of one directory (a module) and merges the top-level blocks. */
export async function loadModule(dir) {
  const merged = { resource: {}, data: {}, module: {}, variable: {}, output: {}, locals: [], texts: {} };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.tf')).sort()) {
    const text = readFileSync(join(dir, f), 'utf8');
    merged.texts[f] = text;
    const json = await parseHcl(rel(join(dir, f)), text);
    for (const kind of ['resource', 'data']) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        merged[kind][type] = { ...(merged[kind][type] ?? {}), ...byName };
      }
    }
    for (const kind of ['module', 'variable', 'output']) Object.assign(merged[kind], json[kind] ?? {});
    for (const l of json.locals ?? []) merged.locals.push(l);
  }
  return merged;
}

/** `${x}` -> `x` (hcl2json wraps expressions). */
export const unwrap = (expr) => String(expr).replace(/^\$\{([\s\S]*)\}$/, '$1').trim();

/**
 * Top-level attributes of an `object({...})` type constraint as hcl2json returns it:
 * { name: { optional } }. Nested objects (maps of objects, defaults) are skipped by
 * tracking bracket depth; comments and string contents do not count.
 */
export function objectAttributes(typeExpr) {
  const body = unwrap(typeExpr).match(/^object\(\{([\s\S]*)\}\)$/);
  if (!body) throw new Error(`not an object type: ${String(typeExpr).slice(0, 40)}`);
  const attrs = {};
  let depth = 0;
  for (const raw of body[1].split('\n')) {
    let line = '';
    let inString = false;
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '#' || (c === '/' && raw[i + 1] === '/')) break;
      line += c;
    }
    const m = depth === 0 && line.match(/^\s*([a-z0-9_]+)\s*=\s*(optional\()?/);
    if (m) attrs[m[1]] = { optional: Boolean(m[2]) };
    for (const c of line) {
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth--;
    }
  }
  return attrs;
}

/** Text of a module with full-line comments removed (references in comments do not count). */
export function codeText(text) {
  return text
    .split('\n')
    .filter((l) => !/^\s*(#|\/\/)/.test(l))
    .join('\n');
}

export const uniq = (xs) => [...new Set(xs)].sort();
export const refs = (text, re) => uniq([...codeText(text).matchAll(re)].map((m) => m[1]));

// ---------------------------------------------------------------------------------
// Secret scanner. Patterns are assembled from pieces so that this file does not match
// itself when the repository is scanned.
// ---------------------------------------------------------------------------------

export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw' + '==';

// The Cosmos DB emulator's published key (learn.microsoft.com/azure/cosmos-db/emulator),
// the same for every emulator install: allowed where the emulator is named next to it.
export const COSMOS_EMULATOR_KEY =
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw' + '==';

const B64 = '[A-Za-z0-9+/]';
const RULES = [
  { id: 'storage-account-key', re: new RegExp('Account' + 'Key=(' + B64 + '{20,}={0,2})', 'g') },
  { id: 'shared-access-key', re: new RegExp('Shared' + 'AccessKey=(' + B64 + '{20,}={0,2})', 'g') },
  { id: 'private-key', re: new RegExp('-----BEGIN [A-Z ]*' + 'PRIVATE KEY-----', 'g') },
  {
    id: 'password-literal',
    re: new RegExp('["\']?\\b([a-z_]*pass' + 'word|passwd|pwd)["\']?\\s*[=:]\\s*"([^"\\s$<{][^"]{3,})"', 'gi'),
  },
  {
    id: 'client-secret-literal',
    re: new RegExp('["\']?\\b(client_' + 'secret|clientSecret)["\']?\\s*[=:]\\s*"([^"\\s$<{][^"]{3,})"', 'gi'),
  },
  { id: 'base64-88-key', re: new RegExp('(?<![A-Za-z0-9+/])(' + B64 + '{86}==)(?![A-Za-z0-9+/=])', 'g') },
];

// Obvious placeholders are not secrets.
const PLACEHOLDER = /^(changeme|change-me|example|dummy|placeholder|xxx+|\*+|<.*>|\$\{.*\})$/i;

/** Returns the findings of one text: [{ file, line, rule, excerpt }]. */
export function scanText(file, text) {
  const findings = [];
  for (const { id, re } of RULES) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const value = m[m.length - 1] ?? m[0];
      if (PLACEHOLDER.test(value)) continue;
      // Subresource-integrity hashes (package-lock.json "integrity": "sha512-...") are not keys.
      if (id === 'base64-88-key' && /sha(256|384|512)-$/.test(text.slice(Math.max(0, m.index - 7), m.index))) continue;
      if (m[0].includes(AZURITE_KEY) || value === AZURITE_KEY) {
        // The public Azurite key is fine where the Azurite account is named next to it.
        const window = text.slice(Math.max(0, m.index - 300), m.index + m[0].length + 300);
        if (window.includes(AZURITE_ACCOUNT)) continue;
      }
      if (m[0].includes(COSMOS_EMULATOR_KEY) || value === COSMOS_EMULATOR_KEY) {
        const window = text.slice(Math.max(0, m.index - 300), m.index + m[0].length + 300);
        if (/emulator/i.test(window)) continue;
      }
      const line = text.slice(0, m.index).split('\n').length;
      findings.push({ file, line, rule: id, excerpt: m[0].slice(0, 24) + '...' });
    }
  }
  return findings;
}

export function isProbablyBinary(buf) {
  return buf.subarray(0, 8000).includes(0);
}

/** Files tracked by git in the repository around terraform/, or null without git. */
export function gitTrackedFiles() {
  try {
    const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: TF_ROOT, encoding: 'utf8' }).trim();
    const out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    return out
      .split('\0')
      .filter(Boolean)
      .map((f) => join(root, f))
      .filter((f) => existsSync(f) && statSync(f).isFile());
  } catch {
    return null;
  }
}

export function scanFiles(files) {
  const findings = [];
  for (const f of files) {
    const st = statSync(f);
    if (st.size > 5 * 1024 * 1024) continue;
    const buf = readFileSync(f);
    if (isProbablyBinary(buf)) continue;
    findings.push(...scanText(f, buf.toString('utf8')));
  }
  return findings;
}
