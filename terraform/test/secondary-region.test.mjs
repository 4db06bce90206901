// 8. The second region (docs/failover.md), rendered per environment: with
//    settings.secondary_location set, everything a failover needs is there and the one variable
//    active_region moves the job; without it, nothing of it exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderEnvironment, resolveDeep, Unknown } from './render.mjs';
import { flinkJob } from '../flink-job.mjs';

const GEO_REDUNDANT = ['RAGRS', 'RAGZRS'];

/** What the rendered platform of an environment says about the second region. */
export async function secondaryFacts(env) {
  const root = await renderEnvironment(env);
  const platform = await root.module('platform');
  const settings = await platform.variable('settings');
  const facts = {
    secondaryLocation: settings.secondary_location,
    secondaryModules: await platform.moduleCount('secondary_region'),
    standbyModules: await platform.moduleCount('aks_flink_standby'),
    replication: await (await platform.module('storage')).variable('replication_type'),
    cosmosFailover: await (await platform.module('cosmos')).variable('failover_locations'),
    iothubEventHubs: await (await platform.module('iothub')).variable('eventhub_namespace_name'),
    primaryEventHubs: await (await platform.module('eventhubs')).output('namespace_name'),
    primaryVnet: settings.vnet_address_space,
  };
  if (facts.secondaryModules > 0) {
    const sec = await platform.module('secondary_region', 0);
    const standby = await platform.module('aks_flink_standby', 0);
    Object.assign(facts, {
      alias: await sec.output('eventhub_alias_name'),
      secondaryVnet: await sec.variable('address_space'),
      secondaryGroupLocation: await resolveDeep(await platform.resource('azurerm_resource_group', 'secondary', 0, 'location')),
      standbyLocation: await standby.variable('location'),
      standbyMinNodes: await standby.variable('flink_node_min_count'),
      standbyJob: await resolveDeep(await standby.resource('kubernetes_manifest', 'flink_streaming_job', 0, 'manifest')),
    });
  }
  return facts;
}

/** Problems of an environment's second region (or of its absence). */
export function secondaryProblems(f) {
  const problems = [];
  if (!f.secondaryLocation) {
    if (f.secondaryModules !== 0 || f.standbyModules !== 0) problems.push('no secondary_location, yet secondary resources');
    if (f.iothubEventHubs !== f.primaryEventHubs) problems.push('one region, yet IoT Hub does not route to the namespace');
    return problems;
  }
  if (f.secondaryModules !== 1 || f.standbyModules !== 1) problems.push('secondary_location is set but the secondary region or the standby cluster is missing');
  if (!GEO_REDUNDANT.includes(f.replication)) problems.push(`storage replication ${f.replication} is not read-access geo-redundant`);
  if (!f.cosmosFailover?.includes(f.secondaryLocation)) problems.push(`Cosmos DB does not fail over to ${f.secondaryLocation}`);
  if (f.iothubEventHubs !== f.alias) problems.push(`IoT Hub routes to ${f.iothubEventHubs}, not to the Geo-DR alias ${f.alias}`);
  if (f.secondaryGroupLocation !== f.secondaryLocation || f.standbyLocation !== f.secondaryLocation) problems.push('the secondary resource group or standby cluster is not in the secondary region');
  const octets = (cidrs) => (cidrs ?? []).map((c) => c.split('.').slice(0, 2).join('.'));
  if (octets(f.secondaryVnet).some((o) => octets(f.primaryVnet).includes(o))) problems.push(`secondary VNet ${f.secondaryVnet} overlaps ${f.primaryVnet}`);
  if (f.standbyMinNodes !== 0) problems.push('the standby Flink node pool does not scale to zero while the primary is active');
  if (!(f.standbyJob instanceof Unknown)) problems.push('the standby cluster runs the job while the primary is active');
  return problems;
}

for (const env of ['dev', 'prod']) {
  test(`environment ${env}: the second region is complete, or absent`, async () => {
    assert.deepEqual(secondaryProblems(await secondaryFacts(env)), []);
  });
}

test('prod fails over with one variable: the standby runs the same job from the retained checkpoint', async () => {
  const restore = 'abfss://flink@stiotbeamprodp01.dfs.core.windows.net/iotbeam-streaming/checkpoints/0123/chk-42';
  const primary = await flinkJob('prod');
  const standby = await flinkJob('prod', { activeRegion: 'secondary', restorePath: restore });
  assert.equal(await flinkJob('prod', { activeRegion: 'secondary' }).then((j) => j.region), 'secondary');
  assert.equal(primary.region, 'primary');
  assert.deepEqual(standby.args, primary.args, 'the same job: aliases, the same storage account and Cosmos DB account');
  assert.equal(standby.flinkConfiguration['state.checkpoints.dir'], primary.flinkConfiguration['state.checkpoints.dir']);
  assert.equal(standby.initialSavepointPath, restore);
  assert.match(primary.args.find((a) => a.startsWith('--bootstrapServers=')), /-alias\.servicebus\.windows\.net:9093$/);

  // and the primary's FlinkDeployment is gone while the secondary is active
  const root = await renderEnvironment('prod', { active_region: 'secondary' });
  const aks = await (await root.module('platform')).module('aks_flink');
  assert.ok((await aks.resource('kubernetes_manifest', 'flink_streaming_job', 0, 'manifest')) instanceof Unknown);
});

test('dev has one region: active_region=secondary has no cluster to go to', async () => {
  await assert.rejects(flinkJob('dev', { activeRegion: 'secondary' }), /aks_flink_standby\[0\] does not exist/);
});

test('self-test: an incomplete second region is reported', () => {
  assert.deepEqual(secondaryProblems({
    secondaryLocation: 'northeurope', secondaryModules: 1, standbyModules: 0, replication: 'GRS',
    cosmosFailover: [], iothubEventHubs: 'evhns-x', primaryEventHubs: 'evhns-x', alias: 'evhns-x-alias',
    primaryVnet: ['10.40.0.0/16'], secondaryVnet: ['10.40.0.0/16'], secondaryGroupLocation: 'westeurope',
    standbyLocation: 'northeurope', standbyMinNodes: 2, standbyJob: {},
  }), [
    'secondary_location is set but the secondary region or the standby cluster is missing',
    'storage replication GRS is not read-access geo-redundant',
    'Cosmos DB does not fail over to northeurope',
    'IoT Hub routes to evhns-x, not to the Geo-DR alias evhns-x-alias',
    'the secondary resource group or standby cluster is not in the secondary region',
    'secondary VNet 10.40.0.0/16 overlaps 10.40.0.0/16',
    'the standby Flink node pool does not scale to zero while the primary is active',
    'the standby cluster runs the job while the primary is active',
  ]);
  assert.deepEqual(secondaryProblems({ secondaryLocation: null, secondaryModules: 1, standbyModules: 0, iothubEventHubs: 'a', primaryEventHubs: 'b' }), [
    'no secondary_location, yet secondary resources',
    'one region, yet IoT Hub does not route to the namespace',
  ]);
});
