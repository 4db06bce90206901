// 1. Every .tf file (and terraform.tfvars) under terraform/ parses as HCL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { walk, tfFiles, rel, parseHcl, TF_ROOT } from './lib.mjs';

test('there are .tf files to check', () => {
  assert.ok(tfFiles().length >= 40, `expected the modules and environments, found ${tfFiles().length} .tf files`);
});

test('every .tf and .tfvars file parses as HCL', async () => {
  const files = walk(TF_ROOT).filter((f) => f.endsWith('.tf') || f.endsWith('.tfvars'));
  const failures = [];
  for (const f of files) {
    try {
      await parseHcl(rel(f), readFileSync(f, 'utf8'));
    } catch (e) {
      failures.push(e.message);
    }
  }
  assert.deepEqual(failures, [], `files that do not parse:\n${failures.join('\n')}`);
});

test('self-test: a broken file is reported with its name', async () => {
  await assert.rejects(parseHcl('modules/broken/main.tf', 'resource "azurerm_x" {{{\n'), /modules\/broken\/main\.tf/);
});
