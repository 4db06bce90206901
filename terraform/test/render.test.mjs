// 6. What the environments deploy, rendered from the HCL (render.mjs, flink-job.mjs): the
//    FlinkDeployment's job arguments and Flink configuration are complete and consistent. That
//    every argument is an option of the pipeline and passes its checks is tested on the Java
//    side with the pipeline's own parsing (pipelines' DeployedJobArgsTest, which runs
//    flink-job.mjs); these checks need no JVM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModuleInstance, resolveDeep, Unknown } from './render.mjs';
import { parseExpression } from './hcl-expr.mjs';
import { flinkJob, localArgs, LOCAL_ENDPOINTS } from '../flink-job.mjs';

const ENVIRONMENTS = ['dev', 'prod'];
const JAR = 'local:///opt/flink/usrlib/iotbeam-runners.jar';

/** Problems of a rendered FlinkDeployment that need no JVM to see. */
export function jobProblems(job) {
  const problems = [];
  const flags = new Map();
  for (const a of job.args) {
    const m = /^--([A-Za-z][A-Za-z0-9]*)=(.+)$/s.exec(a);
    if (!m) problems.push(`argument ${JSON.stringify(a)} is not --name=value`);
    else if (flags.has(m[1])) problems.push(`--${m[1]} is given twice`);
    else flags.set(m[1], m[2]);
    if (a.includes('known after apply')) problems.push(`${a}: a value Terraform knows only after apply`);
  }
  for (const f of ['runner', 'bootstrapServers', 'outputBase', 'checkpointingInterval']) {
    if (!flags.has(f)) problems.push(`--${f} is missing`);
  }
  if (job.jarURI !== JAR) problems.push(`jarURI ${job.jarURI} is not ${JAR} (runners/docker/Dockerfile)`);
  if (job.entryClass !== 'org.iotbeam.pipelines.StreamingPipeline') problems.push(`entryClass ${job.entryClass}`);
  const conf = job.flinkConfiguration;
  const port = conf['metrics.reporter.iotbeam.port'];
  if (!port) problems.push('no metrics.reporter.iotbeam.* (the Beam-metrics reporter)');
  if (String(job.podAnnotations?.['prometheus.io/port']) !== String(port)) problems.push(`prometheus.io/port ${job.podAnnotations?.['prometheus.io/port']} is not the reporter's port ${port}`);
  if (!job.containerPorts.some((p) => String(p.containerPort) === String(port))) problems.push(`the container does not expose the reporter's port ${port}`);
  if (conf['execution.checkpointing.externalized-checkpoint-retention'] !== 'RETAIN_ON_CANCELLATION') problems.push('checkpoints are not retained (docs/failover.md restores the last one)');
  if (String(flags.get('checkpointingInterval')) + 'ms' !== conf['execution.checkpointing.interval']) problems.push('--checkpointingInterval and execution.checkpointing.interval differ');
  return problems;
}

for (const env of ENVIRONMENTS) {
  test(`environment ${env}: the rendered FlinkDeployment is complete and consistent`, async () => {
    const job = await flinkJob(env);
    assert.ok(job, `${env} deploys the job`);
    assert.deepEqual(jobProblems(job), []);
    const out = job.args.find((a) => a.startsWith('--outputBase='));
    assert.match(out, /^--outputBase=azfs:\/\/st[a-z0-9]+\/telemetry$/);
    const local = localArgs(job.args, { bootstrap: '127.0.0.1:9092', outputBase: '/tmp/x' });
    assert.ok(local.args.includes('--bootstrapServers=127.0.0.1:9092') && local.args.includes('--outputBase=/tmp/x'));
    assert.ok(local.args.every((a) => !/servicebus\.windows\.net|documents\.azure\.com|core\.windows\.net/.test(a)), `no Azure endpoint is left: ${local.args}`);
  });
}

test('self-test: a broken FlinkDeployment is reported', () => {
  const job = {
    args: ['--runner=FlinkRunner', '--rawOutput', '--cosmosEndpoint=(known after apply: x)', '--runner=DirectRunner'],
    jarURI: 'local:///opt/flink/usrlib/job.jar',
    entryClass: 'org.iotbeam.pipelines.StreamingPipeline',
    flinkConfiguration: { 'metrics.reporter.iotbeam.port': '9464', 'execution.checkpointing.interval': '60000ms' },
    podAnnotations: { 'prometheus.io/port': '9249' },
    containerPorts: [{ containerPort: 9249 }],
  };
  assert.deepEqual(jobProblems(job), [
    'argument "--rawOutput" is not --name=value',
    '--cosmosEndpoint=(known after apply: x): a value Terraform knows only after apply',
    '--runner is given twice',
    '--bootstrapServers is missing',
    '--outputBase is missing',
    '--checkpointingInterval is missing',
    `jarURI local:///opt/flink/usrlib/job.jar is not ${JAR} (runners/docker/Dockerfile)`,
    "prometheus.io/port 9249 is not the reporter's port 9464",
    "the container does not expose the reporter's port 9464",
    'checkpoints are not retained (docs/failover.md restores the last one)',
    '--checkpointingInterval and execution.checkpointing.interval differ',
  ]);
});

test('self-test: local endpoints replace exactly the Azure endpoint flags', () => {
  const l = localArgs(['--bootstrapServers=ns.servicebus.windows.net:9093', '--cosmosEndpoint=https://c/', '--inputTopic=telemetry'], {
    bootstrap: '127.0.0.1:1',
    outputBase: '/o',
  });
  assert.deepEqual(l.args, ['--bootstrapServers=127.0.0.1:1', '--inputTopic=telemetry']);
  assert.deepEqual(l.substituted.map((s) => [s.flag, s.local]), [['--bootstrapServers', '127.0.0.1:1'], ['--cosmosEndpoint', null]]);
  assert.ok(Object.values(LOCAL_ENDPOINTS).every((r) => r.why.length > 10), 'every substitution says why');
  assert.throws(() => localArgs(['--outputBase=azfs://a/b'], { bootstrap: 'x' }), /--outputBase needs a local value/);
});

/** A module in a temp directory, evaluated by render.mjs. */
async function withModule(files, inputs, f) {
  const dir = mkdtempSync(join(tmpdir(), 'render-test-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const thunks = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, async () => v]));
    return await f(await new ModuleInstance(dir, thunks, 'test').init());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('self-test: the renderer evaluates templates, functions, conditionals, for-expressions, optional() defaults and instances', async () => {
  const main = `
variable "settings" {
  description = "x"
  type = object({
    name = string
    size = optional(number, 2)
    # a comment
    hubs = optional(map(object({
      partitions = number
      days       = optional(number)
    })), { t = { partitions = 4 } })
  })
}
variable "flag" {
  description = "x"
  type    = bool
  default = false
}
locals {
  prefix = "\${var.settings.name}-\${var.settings.size * 3}"
  names  = [for k, v in var.settings.hubs : "\${k}:\${v.partitions}" if v.days == null]
  picked = var.flag ? "on" : lower("OFF")
  short  = substr(replace(local.prefix, "-", ""), 0, 4)
}
resource "azurerm_storage_account" "this" {
  name = "st\${local.short}"
}
resource "azurerm_storage_container" "c" {
  for_each = toset(["raw", "flink"])
  name     = "\${each.value}-x"
}
output "endpoint" {
  description = "x"
  value = azurerm_storage_account.this.primary_blob_endpoint
}
output "id" {
  description = "x"
  value = azurerm_storage_account.this.id
}
output "flink" {
  description = "x"
  value = azurerm_storage_container.c["flink"].name
}
`;
  await withModule({ 'main.tf': main }, { settings: { name: 'abc', extra: 1, hubs: { a: { partitions: 1 }, b: { partitions: 2, days: 3 } } } }, async (m) => {
    assert.deepEqual(await m.variable('settings'), { name: 'abc', size: 2, hubs: { a: { partitions: 1, days: null }, b: { partitions: 2, days: 3 } } });
    assert.equal(await m.local('prefix'), 'abc-6');
    assert.deepEqual(await m.local('names'), ['a:1']);
    assert.equal(await m.local('picked'), 'off');
    assert.equal(await m.output('endpoint'), 'https://stabc6.blob.core.windows.net/');
    assert.ok((await m.output('id')) instanceof Unknown);
    assert.equal(await m.output('flink'), 'flink-x');
  });
  await withModule({ 'main.tf': main }, { settings: { size: 1 } }, async (m) => {
    await assert.rejects(m.variable('settings'), /attribute name is required/);
  });
  await withModule({ 'main.tf': 'locals {\n  a = nosuch(1)\n  b = var.missing\n}\n' }, {}, async (m) => {
    await assert.rejects(m.local('a'), /function nosuch\(\) is not supported/);
    await assert.rejects(m.local('b'), /var\.missing is not declared/);
  });
  assert.deepEqual(await resolveDeep([1, { a: 'b' }]), [1, { a: 'b' }]);
  assert.throws(() => parseExpression('concat([1, 2'), /expected/);
});
