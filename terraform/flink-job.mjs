#!/usr/bin/env node
// The streaming job as an environment deploys it: the FlinkDeployment's image, jar, entry class,
// job arguments and Flink configuration, rendered from the Terraform (test/render.mjs) with the
// environment's terraform.tfvars. Prints JSON.
//
//   node terraform/flink-job.mjs dev
//   node terraform/flink-job.mjs dev --bootstrap 127.0.0.1:9092 --output-base /tmp/out
//
// With --bootstrap and --output-base it also prints `localArgs`: the same arguments with the Azure
// endpoints replaced by local ones (LOCAL_ENDPOINTS below), which is what the standalone-cluster
// smoke test and the failover rehearsal submit. The pipeline's own parsing and checks run on both
// in pipelines' DeployedJobArgsTest.
import { renderEnvironment, resolveDeep, Unknown } from './test/render.mjs';

/**
 * How each Azure endpoint flag becomes a local one, and why. Flags not listed here stay as
 * deployed. `to` is the local value, or null: the flag is left out (that sink is off).
 */
export const LOCAL_ENDPOINTS = {
  '--bootstrapServers': { to: (l) => l.bootstrap, why: 'a local Kafka broker stands in for the Event Hubs Kafka endpoint' },
  '--eventHubsAuth': { to: () => 'NONE', why: 'the local broker is plaintext (SASL_SSL is tested in EventHubsSaslSslTest)' },
  '--outputBase': { to: (l) => l.outputBase, why: 'a local directory stands in for the storage account container' },
  '--blobServiceEndpoint': { to: null, why: 'no azfs:// path is left once --outputBase is local' },
  '--cosmosEndpoint': { to: null, why: 'the Cosmos DB sink is tested against cosmosdb-server in CosmosSinkTest; the cluster has no trust store for it' },
  '--serviceBusNamespace': { to: null, why: 'no Service Bus emulator runs outside a container; the sink is tested in ServiceBusLiveTest when a namespace is given' },
};

/**
 * The FlinkDeployment of an environment (null when the environment does not deploy the job
 * there), in the region `activeRegion` says: primary, or secondary (the standby cluster, after a
 * failover: docs/failover.md).
 */
export async function flinkJob(env, { activeRegion = 'primary', restorePath = null } = {}) {
  const root = await renderEnvironment(env, { active_region: activeRegion, flink_restore_path: restorePath });
  const platform = await root.module('platform');
  const aks = activeRegion === 'primary' ? await platform.module('aks_flink') : await platform.module('aks_flink_standby', 0);
  const manifest = await resolveDeep(await aks.resource('kubernetes_manifest', 'flink_streaming_job', 0, 'manifest'));
  if (manifest instanceof Unknown) return null;
  const spec = manifest.spec;
  const main = spec.podTemplate.spec.containers.find((c) => c.name === 'flink-main-container');
  return {
    environment: env,
    region: activeRegion,
    initialSavepointPath: spec.job.initialSavepointPath ?? null,
    image: spec.image,
    flinkVersion: spec.flinkVersion,
    jarURI: spec.job.jarURI,
    entryClass: spec.job.entryClass,
    args: spec.job.args,
    flinkConfiguration: spec.flinkConfiguration,
    podAnnotations: spec.podTemplate.metadata.annotations,
    containerPorts: main.ports ?? [],
    env: Object.fromEntries((main.env ?? []).map((e) => [e.name, e.value])),
  };
}

/** The deployed arguments with the Azure endpoints replaced (see LOCAL_ENDPOINTS). */
export function localArgs(args, local) {
  const out = [];
  const substituted = [];
  for (const a of args) {
    const m = /^(--[A-Za-z0-9]+)=(.*)$/s.exec(a);
    const rule = m && LOCAL_ENDPOINTS[m[1]];
    if (!rule) {
      out.push(a);
      continue;
    }
    const to = rule.to ? rule.to(local) : null;
    if (rule.to && (to === undefined || to === '')) throw new Error(`${m[1]} needs a local value`);
    if (to !== null) out.push(`${m[1]}=${to}`);
    substituted.push({ flag: m[1], deployed: m[2], local: to, why: rule.why });
  }
  return { args: out, substituted };
}

/** Unknown values as "(known after apply: ...)" strings, for JSON. */
const printable = (v) => JSON.parse(JSON.stringify(v, (k, x) => (x instanceof Unknown ? String(x) : x)));

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const env = argv[0];
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i > 0 ? argv[i + 1] : undefined;
  };
  if (!env || env.startsWith('-')) {
    console.error('usage: node terraform/flink-job.mjs <env> [--bootstrap HOST:PORT --output-base DIR] [--active-region primary|secondary [--restore-path PATH]]');
    process.exit(2);
  }
  try {
    const job = await flinkJob(env, { activeRegion: opt('--active-region') ?? 'primary', restorePath: opt('--restore-path') ?? null });
    if (!job) throw new Error(`environment ${env} does not deploy the job (deploy_flink_job = false)`);
    const local = { bootstrap: opt('--bootstrap'), outputBase: opt('--output-base') };
    if (local.bootstrap || local.outputBase) {
      const l = localArgs(job.args, local);
      job.localArgs = l.args;
      job.substituted = l.substituted;
    }
    process.stdout.write(JSON.stringify(printable(job), null, 2) + '\n');
  } catch (e) {
    console.error(`flink-job.mjs: ${e.message}`);
    process.exit(1);
  }
}
