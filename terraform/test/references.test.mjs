// 3. Cross-references: module.X, var.X, local.X and resource references resolve;
//    module inputs match the module's variables; secrets-looking outputs are sensitive;
//    the environments' settings match the platform module's settings type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { MODULES_DIR, ENVS_DIR, PLATFORM, PLATFORM_DIR, subdirs, loadModule, refs, parseHcl, objectAttributes, unwrap } from './lib.mjs';

const META_ARGS = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);
const first = (b) => (Array.isArray(b) ? b[0] : b);

/** Problems of one parsed directory (module or root module). */
export function referenceProblems(label, parsed) {
  const text = Object.values(parsed.texts).join('\n');
  const problems = [];
  const declaredVars = new Set(Object.keys(parsed.variable));
  for (const v of refs(text, /\bvar\.([a-z0-9_]+)/g)) {
    if (!declaredVars.has(v)) problems.push(`${label}: var.${v} is not declared in variables.tf`);
  }
  const declaredLocals = new Set(parsed.locals.flatMap((l) => Object.keys(l)));
  for (const l of refs(text, /\blocal\.([a-z0-9_]+)/g)) {
    if (!declaredLocals.has(l)) problems.push(`${label}: local.${l} is not declared`);
  }
  for (const m of refs(text, /\bmodule\.([a-z0-9_]+)/g)) {
    if (!parsed.module[m]) problems.push(`${label}: module.${m} has no module block`);
  }
  // Resource and data source references: type.name (type from the providers used here).
  for (const m of codeText(text).matchAll(/(?<![\w.])(data\.)?((?:azurerm|helm|kubernetes)_[a-z0-9_]+)\.([a-z0-9_]+)/g)) {
    const [, isData, type, name] = m;
    const pool = isData ? parsed.data : parsed.resource;
    if (!pool[type]?.[name]) problems.push(`${label}: ${isData ? 'data.' : ''}${type}.${name} is not declared`);
  }
  for (const [name, blocks] of Object.entries(parsed.variable)) {
    if (!first(blocks).description) problems.push(`${label}: variable ${name} has no description`);
  }
  return [...new Set(problems)];
}


function codeText(text) {
  return text
    .split('\n')
    .filter((l) => !/^\s*(#|\/\/)/.test(l))
    .join('\n');
}

const SENSITIVE_NAME = /(connection_string|access_key|_key$|secret|password|kube_?config|token|cluster_ca_certificate|kube_host)/;

export function outputProblems(label, parsed) {
  const problems = [];
  for (const [name, blocks] of Object.entries(parsed.output)) {
    const o = first(blocks);
    if (!o.description) problems.push(`${label}: output ${name} has no description`);
    if (SENSITIVE_NAME.test(name) && !/_ids?$/.test(name) && o.sensitive !== true) problems.push(`${label}: output ${name} must be sensitive`);
    if (/(primary|secondary)_(key|connection_string|access_key)/.test(JSON.stringify(o.value)) && o.sensitive !== true) {
      problems.push(`${label}: output ${name} exposes a key`);
    }
  }
  return problems;
}

/** Module calls of a parsed directory pass only declared inputs and every required one; module.X.Y are outputs of X. */
export async function moduleCallProblems(label, dir, parsed) {
  const problems = [];
  const text = Object.values(parsed.texts).join('\n');
  for (const [name, blocks] of Object.entries(parsed.module)) {
    const call = first(blocks);
    const target = resolve(dir, call.source);
    if (!existsSync(target)) {
      problems.push(`${label}: module ${name} source ${call.source} does not exist`);
      continue;
    }
    const mod = await loadModule(target);
    for (const arg of Object.keys(call)) {
      if (!META_ARGS.has(arg) && !mod.variable[arg]) problems.push(`${label}: module ${name} passes unknown input ${arg}`);
    }
    for (const [v, vb] of Object.entries(mod.variable)) {
      if (!('default' in first(vb)) && !(v in call)) problems.push(`${label}: module ${name} misses required input ${v}`);
    }
    for (const m of codeText(text).matchAll(new RegExp(`\\bmodule\\.${name}\\.([a-z0-9_]+)`, 'g'))) {
      if (!mod.output[m[1]]) problems.push(`${label}: module.${name}.${m[1]} is not an output of ${call.source}`);
    }
  }
  return [...new Set(problems)];
}

/** var.settings.X in the platform module must be attributes of its settings type. */
export function settingsReferenceProblems(label, parsed, attrs) {
  const text = Object.values(parsed.texts).join('\n');
  return refs(text, /\bvar\.settings\.([a-z0-9_]+)/g)
    .filter((a) => !attrs[a])
    .map((a) => `${label}: var.settings.${a} is not an attribute of the settings type`);
}

/** Keys of an environment's `settings` (terraform.tfvars) against the platform's settings type. */
export function settingsValueProblems(label, settings, attrs) {
  const problems = [];
  for (const k of Object.keys(settings ?? {})) {
    if (!attrs[k]) problems.push(`${label}: settings.${k} is not an attribute of the platform's settings type (Terraform would drop it silently)`);
  }
  for (const [k, a] of Object.entries(attrs)) {
    if (!a.optional && !(k in (settings ?? {}))) problems.push(`${label}: settings.${k} is required`);
  }
  return problems;
}

for (const m of subdirs(MODULES_DIR)) {
  test(`module ${m}: references resolve, outputs are safe`, async () => {
    const dir = join(MODULES_DIR, m);
    const parsed = await loadModule(dir);
    const problems = [...referenceProblems(`modules/${m}`, parsed), ...outputProblems(`modules/${m}`, parsed)];
    problems.push(...(await moduleCallProblems(`modules/${m}`, dir, parsed)));
    if (m === PLATFORM) {
      problems.push(...settingsReferenceProblems(`modules/${m}`, parsed, objectAttributes(first(parsed.variable.settings).type)));
    }
    assert.deepEqual(problems, []);
  });
}

for (const e of subdirs(ENVS_DIR)) {
  test(`environment ${e}: references, module inputs, tfvars and settings match declarations`, async () => {
    const dir = join(ENVS_DIR, e);
    const label = `environments/${e}`;
    const parsed = await loadModule(dir);
    const platform = await loadModule(PLATFORM_DIR);
    const problems = [...referenceProblems(label, parsed), ...outputProblems(label, parsed)];
    problems.push(...(await moduleCallProblems(label, dir, parsed)));

    const tfvars = await parseHcl(`${label}/terraform.tfvars`, readFileSync(join(dir, 'terraform.tfvars'), 'utf8'));
    for (const k of Object.keys(tfvars)) {
      if (!parsed.variable[k]) problems.push(`${label}/terraform.tfvars sets undeclared variable ${k}`);
    }
    // The root passes settings through (type any): the platform's type is the contract.
    problems.push(...settingsValueProblems(`${label}/terraform.tfvars`, first(tfvars.settings), objectAttributes(first(platform.variable.settings).type)));
    assert.equal(tfvars.environment, e, `terraform.tfvars of ${e} must set environment = "${e}"`);
    assert.deepEqual(problems, []);
  });
}

test('self-test: undeclared variables, locals, modules and resources are reported', async () => {
  const text = [
    'locals { a = 1 }',
    'resource "azurerm_resource_group" "rg" {',
    '  name     = "${var.undeclared_one}-${local.a}-${local.b}"',
    '  location = module.nowhere.location',
    '  tags     = azurerm_storage_account.ghost.tags',
    '}',
  ].join('\n');
  const json = await parseHcl('fake.tf', text);
  const parsed = {
    resource: json.resource,
    data: {},
    module: {},
    variable: {},
    output: {},
    locals: json.locals,
    texts: { 'fake.tf': text },
  };
  assert.deepEqual(referenceProblems('fake', parsed).sort(), [
    'fake: azurerm_storage_account.ghost is not declared',
    'fake: local.b is not declared',
    'fake: module.nowhere has no module block',
    'fake: var.undeclared_one is not declared in variables.tf',
  ]);
});

test('self-test: an output with a connection string that is not sensitive is reported', async () => {
  const json = await parseHcl('o.tf', 'output "sb_connection_string" {\n description = "x"\n value = azurerm_servicebus_namespace.x.default_primary_connection_string\n}\n');
  assert.deepEqual(outputProblems('fake', { output: json.output }), [
    'fake: output sb_connection_string must be sensitive',
    'fake: output sb_connection_string exposes a key',
  ]);
});

test('self-test: an unknown or missing settings attribute is reported', async () => {
  const json = await parseHcl(
    'v.tf',
    'variable "settings" {\n  description = "x"\n  type = object({\n    # a comment = 1\n    name_suffix = string\n    sku = optional(string, "Standard")\n    hubs = optional(map(object({\n      partitions = number\n    })), { t = { partitions = 1 } })\n  })\n}\n',
  );
  const attrs = objectAttributes(first(json.variable.settings).type);
  assert.deepEqual(attrs, { name_suffix: { optional: false }, sku: { optional: true }, hubs: { optional: true } });
  assert.deepEqual(settingsValueProblems('fake', { skuu: 'Premium' }, attrs), [
    "fake: settings.skuu is not an attribute of the platform's settings type (Terraform would drop it silently)",
    'fake: settings.name_suffix is required',
  ]);
  assert.deepEqual(settingsReferenceProblems('fake', { texts: { 'm.tf': 'x = var.settings.partitions\ny = var.settings.sku' } }, attrs), [
    'fake: var.settings.partitions is not an attribute of the settings type',
  ]);
});

