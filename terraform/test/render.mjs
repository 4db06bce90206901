// Renders what Terraform would pass to the resources of an environment, without a terraform
// binary or providers (none can be installed here): the root module of environments/<env> with
// its terraform.tfvars, module calls down to every module, variables with their types and
// optional() defaults, locals, outputs, resource arguments (count / for_each instances) and
// the functions this repository uses. Attributes that only Azure knows after apply are Unknown,
// except the endpoints whose shape Azure documents (COMPUTED below).
//
//   const env = await renderEnvironment('dev');
//   const aks = await env.module('platform').then((p) => p.module('aks_flink'));
//   await aks.resource('kubernetes_manifest', 'flink_streaming_job', 0, 'manifest');
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { ENVS_DIR } from './lib.mjs';
import { parseTemplateValue, parseExpression } from './hcl-expr.mjs';

/** A value Terraform knows only after apply. */
export class Unknown {
  constructor(what) {
    this.what = what;
  }
  toString() {
    return `(known after apply: ${this.what})`;
  }
}

const isUnknown = (v) => v instanceof Unknown;

/**
 * Computed attributes with a documented shape (the Azure endpoints a client is given), as
 * functions of the resource's evaluated `name`. Everything else computed is Unknown.
 */
const COMPUTED = {
  azurerm_cosmosdb_account: { endpoint: (n) => `https://${n}.documents.azure.com:443/` },
  azurerm_storage_account: {
    primary_blob_endpoint: (n) => `https://${n}.blob.core.windows.net/`,
    primary_dfs_endpoint: (n) => `https://${n}.dfs.core.windows.net/`,
    secondary_blob_endpoint: (n) => `https://${n}-secondary.blob.core.windows.net/`,
    secondary_dfs_endpoint: (n) => `https://${n}-secondary.dfs.core.windows.net/`,
  },
  azurerm_key_vault: { vault_uri: (n) => `https://${n}.vault.azure.net/` },
  azurerm_servicebus_namespace: { endpoint: (n) => `https://${n}.servicebus.windows.net:443/` },
};

const jsonCache = new Map();
async function parsedDir(dir) {
  if (jsonCache.has(dir)) return jsonCache.get(dir);
  const merged = { resource: {}, data: {}, module: {}, variable: {}, output: {}, locals: {} };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.tf')).sort()) {
    const json = await parse(f, readFileSync(join(dir, f), 'utf8'));
    for (const kind of ['resource', 'data']) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        for (const [name, blocks] of Object.entries(byName)) {
          merged[kind][type] = merged[kind][type] ?? {};
          merged[kind][type][name] = blocks[0];
        }
      }
    }
    for (const kind of ['module', 'variable', 'output']) {
      for (const [name, blocks] of Object.entries(json[kind] ?? {})) merged[kind][name] = blocks[0];
    }
    for (const l of json.locals ?? []) Object.assign(merged.locals, l);
  }
  jsonCache.set(dir, merged);
  return merged;
}

/** An hcl2json value as an expression node: strings are templates, objects and lists nest. */
function node(json) {
  if (typeof json === 'string') return parseTemplateValue(json);
  if (Array.isArray(json)) return { t: 'list', items: json.map(node) };
  if (json && typeof json === 'object') {
    return { t: 'obj', entries: Object.entries(json).map(([k, v]) => [parseTemplateValue(k), node(v)]) };
  }
  return { t: 'lit', v: json };
}

/** A module instance: its directory, its input values, and lazily evaluated locals/outputs. */
export class ModuleInstance {
  constructor(dir, inputs, label) {
    this.dir = dir;
    // name -> () => value, evaluated in the caller's scope on first use: Terraform resolves
    // attribute by attribute, and modules refer to each other's outputs both ways
    this.inputs = inputs;
    this.label = label;
    this.cache = new Map();
  }

  async init() {
    this.p = await parsedDir(this.dir);
    for (const name of Object.keys(this.inputs)) {
      if (!this.p.variable[name]) throw new Error(`${this.label}: input ${name} is not a variable of ${this.dir}`);
    }
    return this;
  }

  async memo(key, f) {
    if (!this.cache.has(key)) this.cache.set(key, f());
    return this.cache.get(key);
  }

  async variable(name) {
    return this.memo(`var.${name}`, async () => {
      const decl = this.p.variable[name];
      if (!decl) throw new Error(`${this.label}: var.${name} is not declared`);
      let v = name in this.inputs ? await this.inputs[name]() : null;
      if (v !== null) {
        // set by the caller
      } else if ('default' in decl) v = await this.evalJson(decl.default, {});
      else throw new Error(`${this.label}: variable ${name} is required and not set`);
      return decl.type ? convert(v, parseExpression(String(decl.type).replace(/^\$\{([\s\S]*)\}$/, '$1')), `${this.label}: var.${name}`, this) : v;
    });
  }

  async local(name) {
    return this.memo(`local.${name}`, async () => {
      if (!(name in this.p.locals)) throw new Error(`${this.label}: local.${name} is not declared`);
      return this.evalJson(this.p.locals[name], {});
    });
  }

  /**
   * The child module instance of `module "name"` (`key`: its count index, for a call with
   * count), its arguments evaluated here.
   */
  async module(name, key = null) {
    return this.memo(`module.${name}[${key}]`, async () => {
      const call = this.p.module[name];
      if (!call) throw new Error(`${this.label}: no module "${name}"`);
      if ('for_each' in call) throw new Error(`${this.label}: module ${name}: for_each on modules is not supported by render.mjs`);
      const ctx = {};
      if ('count' in call) {
        const n = await this.evalJson(call.count, {});
        if (key === null) throw new Error(`${this.label}: module ${name} has count: index it`);
        if (!(key >= 0 && key < n)) throw new Error(`${this.label}: module.${name}[${key}] does not exist (count = ${n})`);
        ctx.count = { index: key };
      } else if (key !== null) throw new Error(`${this.label}: module ${name} has no count`);
      const inputs = {};
      for (const [k, v] of Object.entries(call)) {
        if (['source', 'version', 'providers', 'depends_on', 'count', 'for_each'].includes(k)) continue;
        inputs[k] = () => this.evalJson(v, ctx);
      }
      const label = `${this.label}.module.${name}${key === null ? '' : `[${key}]`}`;
      return new ModuleInstance(resolve(this.dir, call.source), inputs, label).init();
    });
  }

  /** How many instances `module "name"` has (1 without count). */
  async moduleCount(name) {
    const call = this.p.module[name];
    if (!call) throw new Error(`${this.label}: no module "${name}"`);
    return 'count' in call ? this.evalJson(call.count, {}) : 1;
  }

  async output(name) {
    return this.memo(`output.${name}`, async () => {
      const o = this.p.output[name];
      if (!o) throw new Error(`${this.label}: no output "${name}"`);
      return this.evalJson(o.value, {});
    });
  }

  /** The instance keys of a resource: null (single), numbers (count) or strings (for_each). */
  async instanceKeys(kind, type, name) {
    const block = this.block(kind, type, name);
    if ('count' in block) {
      const n = await this.evalJson(block.count, {});
      if (isUnknown(n)) return n;
      return [...Array(n).keys()];
    }
    if ('for_each' in block) {
      const coll = await this.evalJson(block.for_each, {});
      if (isUnknown(coll)) return coll;
      return Array.isArray(coll) ? coll.map(String) : Object.keys(coll);
    }
    return null;
  }

  block(kind, type, name) {
    const block = this.p[kind][type]?.[name];
    if (!block) throw new Error(`${this.label}: ${kind === 'data' ? 'data.' : ''}${type}.${name} is not declared`);
    return block;
  }

  /** One argument of one instance of a resource (key: null, a count index or a for_each key). */
  async resource(type, name, key, attr, kind = 'resource') {
    return this.memo(`${kind}.${type}.${name}[${key}].${attr}`, async () => {
      const block = this.block(kind, type, name);
      const label = `${kind === 'data' ? 'data.' : ''}${type}.${name}${key === null ? '' : `[${JSON.stringify(key)}]`}`;
      const keys = await this.instanceKeys(kind, type, name);
      const ctx = {};
      if (Array.isArray(keys)) {
        if (key === null) throw new Error(`${this.label}: ${label} has count/for_each: index it`);
        if (!keys.map(String).includes(String(key))) return new Unknown(`${label} (no such instance)`);
        if ('count' in block) ctx.count = { index: key };
        else {
          const coll = await this.evalJson(block.for_each, {});
          ctx.each = { key, value: Array.isArray(coll) ? key : coll[key] };
        }
      }
      if (kind === 'resource' && attr in block) return this.evalJson(block[attr], ctx);
      const computed = COMPUTED[type]?.[attr];
      if (computed && kind === 'resource' && 'name' in block) {
        const n = await this.evalJson(block.name, ctx);
        return isUnknown(n) ? n : computed(n);
      }
      return new Unknown(`${label}.${attr}`);
    });
  }

  async evalJson(json, ctx) {
    return evaluate(node(json), { mod: this, ...ctx });
  }
}

// ------------------------------------------------------------------------------------------
// References are resolved lazily: `module.x`, `azurerm_y.z` and their instances are handles
// until an attribute is read, so only what a value needs is evaluated.
// ------------------------------------------------------------------------------------------

class ModuleHandle {
  constructor(mod, name, key = null) {
    Object.assign(this, { mod, name, key });
  }
  async index(key) {
    return new ModuleHandle(this.mod, this.name, key);
  }
  async get(attr) {
    return (await this.mod.module(this.name, this.key)).output(attr);
  }
}

class ResourceHandle {
  constructor(mod, kind, type, name, key) {
    Object.assign(this, { mod, kind, type, name, key });
  }
  async index(key) {
    return new ResourceHandle(this.mod, this.kind, this.type, this.name, key);
  }
  async get(attr) {
    if (this.key === undefined) {
      const keys = await this.mod.instanceKeys(this.kind, this.type, this.name);
      if (keys !== null) throw new Error(`${this.mod.label}: ${this.type}.${this.name}.${attr}: the resource has count/for_each; index it`);
      this.key = null;
    }
    return this.mod.resource(this.type, this.name, this.key, attr, this.kind);
  }
  /** As a collection (for-expressions, keys()): instance key -> instance handle. */
  async materialize() {
    const keys = await this.mod.instanceKeys(this.kind, this.type, this.name);
    if (isUnknown(keys) || keys === null) return this;
    if ('count' in this.mod.block(this.kind, this.type, this.name)) return keys.map((k) => new ResourceHandle(this.mod, this.kind, this.type, this.name, k));
    return Object.fromEntries(keys.map((k) => [k, new ResourceHandle(this.mod, this.kind, this.type, this.name, k)]));
  }
}

async function materialize(v) {
  return v instanceof ResourceHandle && v.key === undefined ? v.materialize() : v;
}

/** A value with handles replaced by what they stand for (for output and comparisons). */
export async function resolveDeep(v) {
  v = await materialize(v);
  if (v instanceof ResourceHandle || v instanceof ModuleHandle) return new Unknown(`${v.type ?? 'module'}.${v.name}`);
  if (Array.isArray(v)) return Promise.all(v.map(resolveDeep));
  if (v && typeof v === 'object' && !isUnknown(v)) {
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = await resolveDeep(x);
    return out;
  }
  return v;
}

async function evaluate(n, s) {
  switch (n.t) {
    case 'lit':
      return n.v;
    case 'tmpl': {
      let out = '';
      for (const part of n.parts) {
        if (typeof part === 'string') out += part;
        else {
          const v = await resolveDeep(await evaluate(part, s));
          if (isUnknown(v)) return v;
          if (v === null || typeof v === 'object') throw new Error(`${s.mod.label}: a template interpolates a ${v === null ? 'null' : 'collection'}`);
          out += String(v);
        }
      }
      return out;
    }
    case 'list':
      return Promise.all(n.items.map((i) => evaluate(i, s)));
    case 'obj': {
      const out = {};
      for (const [k, v] of n.entries) {
        const key = await evaluate(k, s);
        if (isUnknown(key)) throw new Error(`${s.mod.label}: an object key is only known after apply (${key.what})`);
        out[String(key)] = await evaluate(v, s);
      }
      return out;
    }
    case 'ref':
      return ref(n.name, s);
    case 'get': {
      if (n.e.t === 'ref' && ['var', 'local', 'module', 'each', 'count', 'data'].includes(n.e.name)) {
        const root = n.e.name;
        if (root === 'var') return s.mod.variable(n.name);
        if (root === 'local') return s.mod.local(n.name);
        if (root === 'module') return new ModuleHandle(s.mod, n.name);
        if (root === 'each' || root === 'count') {
          if (!s[root]) throw new Error(`${s.mod.label}: ${root}.${n.name} outside a ${root === 'each' ? 'for_each' : 'count'} block`);
          return s[root][n.name];
        }
        return { dataType: n.name, mod: s.mod };
      }
      if (n.e.t === 'ref' && !(s.vars && n.e.name in s.vars) && s.mod.p.resource[n.e.name]) {
        return new ResourceHandle(s.mod, 'resource', n.e.name, n.name, undefined);
      }
      const base = await evaluate(n.e, s);
      if (base && base.dataType) return new ResourceHandle(base.mod, 'data', base.dataType, n.name, undefined);
      if (base instanceof ModuleHandle || base instanceof ResourceHandle) return base.get(n.name);
      const v = await materialize(base);
      if (isUnknown(v)) return v;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${s.mod.label}: .${n.name} of a ${Array.isArray(v) ? 'list' : typeof v}`);
      if (v instanceof ResourceHandle) return v.get(n.name);
      if (!(n.name in v)) throw new Error(`${s.mod.label}: no attribute ${n.name} (has ${Object.keys(v).join(', ')})`);
      return v[n.name];
    }
    case 'idx': {
      const base = await evaluate(n.e, s);
      const key = await resolveDeep(await evaluate(n.key, s));
      if (isUnknown(key)) return key;
      if (base instanceof ResourceHandle && base.key === undefined) return base.index(key);
      if (base instanceof ModuleHandle && base.key === null) return base.index(key);
      const v = await materialize(base);
      if (isUnknown(v)) return v;
      if (Array.isArray(v)) return v[key];
      if (v && typeof v === 'object' && key in v) return v[key];
      throw new Error(`${s.mod.label}: no element ${JSON.stringify(key)}`);
    }
    case 'splat': {
      const v = await materialize(await evaluate(n.e, s));
      return Array.isArray(v) ? v : v === null ? [] : [v];
    }
    case 'call':
      return call(n, s);
    case 'un': {
      const v = await resolveDeep(await evaluate(n.e, s));
      if (isUnknown(v)) return v;
      return n.op === '!' ? !v : -v;
    }
    case 'bin': {
      const l = await resolveDeep(await evaluate(n.l, s));
      if (n.op === '&&' && l === false) return false;
      if (n.op === '||' && l === true) return true;
      const r = await resolveDeep(await evaluate(n.r, s));
      if (isUnknown(l)) return l;
      if (isUnknown(r)) return r;
      switch (n.op) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '/': return l / r;
        case '%': return l % r;
        case '==': return JSON.stringify(l) === JSON.stringify(r);
        case '!=': return JSON.stringify(l) !== JSON.stringify(r);
        case '<': return l < r;
        case '>': return l > r;
        case '<=': return l <= r;
        case '>=': return l >= r;
        case '&&': return l && r;
        case '||': return l || r;
      }
      throw new Error(`operator ${n.op}`);
    }
    case 'cond': {
      const c = await resolveDeep(await evaluate(n.c, s));
      if (isUnknown(c)) return c;
      return evaluate(c ? n.a : n.b, s);
    }
    case 'for': {
      const coll = await resolveDeep(await evaluate(n.coll, s));
      if (isUnknown(coll)) return coll;
      const pairs = Array.isArray(coll) ? coll.map((v, i) => [i, v]) : Object.entries(coll);
      const out = n.kind === 'list' ? [] : {};
      for (const [k, v] of pairs) {
        const inner = { ...s, vars: { ...(s.vars ?? {}), [n.v]: v, ...(n.k ? { [n.k]: k } : {}) } };
        if (n.cond && !(await resolveDeep(await evaluate(n.cond, inner)))) continue;
        const val = await evaluate(n.val, inner);
        if (n.kind === 'list') out.push(val);
        else {
          const key = String(await resolveDeep(await evaluate(n.key, inner)));
          if (n.group) (out[key] = out[key] ?? []).push(val);
          else out[key] = val;
        }
      }
      return out;
    }
  }
  throw new Error(`unknown node ${n.t}`);
}

function ref(name, s) {
  if (s.vars && name in s.vars) return s.vars[name];
  throw new Error(`${s.mod.label}: unknown reference ${name}`);
}

// ------------------------------------------------------------------------------------------
// Functions: the ones this repository's Terraform uses.
// ------------------------------------------------------------------------------------------

const FUNCTIONS = {
  concat: (...ls) => ls.flat(1),
  tostring: (v) => (v === null ? null : String(v)),
  tonumber: (v) => (v === null ? null : Number(v)),
  tolist: (v) => [...v],
  toset: (v) => [...new Set(v)].sort(),
  setunion: (...ls) => [...new Set(ls.flat(1))].sort(),
  floor: Math.floor,
  ceil: Math.ceil,
  max: Math.max,
  min: Math.min,
  substr: (str, off, len) => str.substr(off, len < 0 ? undefined : len),
  replace: (str, a, b) => (a.startsWith('/') && a.endsWith('/') ? str.replace(new RegExp(a.slice(1, -1), 'g'), b) : str.split(a).join(b)),
  lower: (v) => v.toLowerCase(),
  upper: (v) => v.toUpperCase(),
  format: (f, ...a) => f.replace(/%[sd]/g, () => String(a.shift())),
  join: (sep, l) => l.join(sep),
  split: (sep, str) => str.split(sep),
  length: (v) => (typeof v === 'string' || Array.isArray(v) ? v.length : Object.keys(v).length),
  keys: (m) => Object.keys(m).sort(),
  values: (m) => Object.keys(m).sort().map((k) => m[k]),
  merge: (...ms) => Object.assign({}, ...ms.filter((m) => m !== null)),
  lookup: (m, k, d) => (k in m ? m[k] : d),
  contains: (l, v) => l.some((x) => JSON.stringify(x) === JSON.stringify(v)),
  coalesce: (...a) => a.find((x) => x !== null && x !== ''),
  compact: (l) => l.filter((x) => x !== null && x !== ''),
  distinct: (l) => [...new Set(l)],
  flatten: (l) => l.flat(Infinity),
  alltrue: (l) => l.every(Boolean),
  anytrue: (l) => l.some(Boolean),
  startswith: (s, p) => s.startsWith(p),
  endswith: (s, p) => s.endsWith(p),
  trimsuffix: (s, x) => (s.endsWith(x) ? s.slice(0, -x.length) : s),
  trimprefix: (s, x) => (s.startsWith(x) ? s.slice(x.length) : s),
  element: (l, i) => l[i % l.length],
  range: (a, b) => (b === undefined ? [...Array(a).keys()] : [...Array(b - a).keys()].map((i) => i + a)),
  zipmap: (ks, vs) => Object.fromEntries(ks.map((k, i) => [k, vs[i]])),
  jsonencode: (v) => JSON.stringify(v),
};

async function call(n, s) {
  if (n.fn === 'try' || n.fn === 'can') {
    for (const a of n.args) {
      try {
        const v = await resolveDeep(await evaluate(a, s));
        return n.fn === 'can' ? true : v;
      } catch (e) {
        if (n.fn === 'can') return false;
      }
    }
    if (n.fn === 'can') return false;
    throw new Error(`${s.mod.label}: no argument of try() could be evaluated`);
  }
  const f = FUNCTIONS[n.fn];
  if (!f) throw new Error(`${s.mod.label}: function ${n.fn}() is not supported by render.mjs; add it`);
  let args = [];
  for (const a of n.args) args.push(await resolveDeep(await evaluate(a, s)));
  if (n.expand) args = [...args.slice(0, -1), ...args[args.length - 1]];
  const unknown = args.find(isUnknown) ?? args.flat?.(Infinity).find?.(isUnknown);
  if (unknown && !['concat', 'merge', 'coalesce'].includes(n.fn)) return unknown;
  return f(...args);
}

/** Converts a value to a type constraint, applying optional() defaults as Terraform does. */
async function convert(v, type, label, mod) {
  v = await resolveDeep(v);
  if (isUnknown(v) || v === null) return v;
  if (type.t === 'ref') {
    if (type.name === 'string') return typeof v === 'object' ? fail() : String(v);
    if (type.name === 'number') return Number(v);
    if (type.name === 'bool') return v === true || v === 'true';
    if (type.name === 'any') return v;
  }
  if (type.t === 'call' && ['list', 'set'].includes(type.fn)) {
    if (!Array.isArray(v)) fail();
    return Promise.all(v.map((x, i) => convert(x, type.args[0], `${label}[${i}]`, mod)));
  }
  if (type.t === 'call' && type.fn === 'map') {
    if (typeof v !== 'object' || Array.isArray(v)) fail();
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = await convert(x, type.args[0], `${label}.${k}`, mod);
    return out;
  }
  if (type.t === 'call' && type.fn === 'object') {
    if (typeof v !== 'object' || Array.isArray(v)) fail();
    const out = {};
    for (const [kNode, tNode] of type.args[0].entries) {
      const k = kNode.v;
      const optional = tNode.t === 'call' && tNode.fn === 'optional';
      const inner = optional ? tNode.args[0] : tNode;
      if (k in v && v[k] !== null) out[k] = await convert(v[k], inner, `${label}.${k}`, mod);
      else if (optional) out[k] = tNode.args[1] ? await convert(await evaluate(tNode.args[1], { mod }), inner, `${label}.${k}`, mod) : null;
      else throw new Error(`${label}: attribute ${k} is required`);
    }
    return out; // attributes the type does not declare are dropped, as Terraform does
  }
  if (type.t === 'call' && type.fn === 'tuple') return v;
  throw new Error(`${label}: type ${JSON.stringify(type).slice(0, 60)} is not supported by render.mjs`);

  function fail() {
    throw new Error(`${label}: ${JSON.stringify(v).slice(0, 60)} does not convert to ${type.fn ?? type.name}`);
  }
}

/** The root module of environments/<env> with its terraform.tfvars (and `overrides`). */
export async function renderEnvironment(env, overrides = {}) {
  const dir = join(ENVS_DIR, env);
  if (!existsSync(dir)) throw new Error(`no environment ${env}`);
  const tfvars = await parse('terraform.tfvars', readFileSync(join(dir, 'terraform.tfvars'), 'utf8'));
  const inputs = {};
  const root = new ModuleInstance(dir, {}, `environments/${env}`);
  await root.init();
  for (const [k, v] of Object.entries(tfvars)) inputs[k] = () => root.evalJson(v, {});
  // subscription_id comes from the environment (TF_VAR_subscription_id); it is never rendered
  inputs.subscription_id = async () => '00000000-0000-0000-0000-000000000000';
  for (const [k, v] of Object.entries(overrides)) inputs[k] = async () => v;
  root.inputs = inputs;
  return root;
}
