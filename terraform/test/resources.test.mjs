// 2. The required resources are declared in the modules, the platform module creates the
//    resource group and instantiates every module, and every environment root module
//    instantiates the platform module (once) and configures and pins the providers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { MODULES_DIR, ENVS_DIR, PLATFORM, PLATFORM_DIR, subdirs, loadModule, parseHcl } from './lib.mjs';

export const REQUIRED = {
  network: [
    'azurerm_virtual_network',
    'azurerm_subnet',
    'azurerm_private_dns_zone',
    'azurerm_private_dns_zone_virtual_network_link',
  ],
  eventhubs: ['azurerm_eventhub_namespace', 'azurerm_eventhub', 'azurerm_eventhub_consumer_group', 'azurerm_private_endpoint'],
  iothub: ['azurerm_iothub', 'azurerm_user_assigned_identity', 'azurerm_role_assignment'],
  storage: ['azurerm_storage_account', 'azurerm_storage_container', 'azurerm_storage_management_policy', 'azurerm_private_endpoint'],
  cosmos: ['azurerm_cosmosdb_account', 'azurerm_cosmosdb_sql_database', 'azurerm_cosmosdb_sql_container', 'azurerm_private_endpoint'],
  servicebus: ['azurerm_servicebus_namespace', 'azurerm_servicebus_queue', 'azurerm_private_endpoint'],
  keyvault: ['azurerm_key_vault', 'azurerm_role_assignment', 'azurerm_private_endpoint'],
  identity: ['azurerm_user_assigned_identity', 'azurerm_role_assignment', 'azurerm_cosmosdb_sql_role_assignment'],
  monitoring: [
    'azurerm_log_analytics_workspace',
    'azurerm_application_insights',
    'azurerm_monitor_action_group',
    'azurerm_monitor_diagnostic_setting',
    'azurerm_monitor_metric_alert',
  ],
  communication: [
    'azurerm_communication_service',
    'azurerm_email_communication_service',
    'azurerm_email_communication_service_domain',
    'azurerm_email_communication_service_domain_sender_username',
    'azurerm_communication_service_email_domain_association',
    'azurerm_key_vault_secret',
    'azurerm_role_assignment',
  ],
  aks_flink: [
    'azurerm_kubernetes_cluster',
    'azurerm_federated_identity_credential',
    'helm_release',
    'kubernetes_manifest',
  ],
  secondary_region: [
    'azurerm_eventhub_namespace',
    'azurerm_eventhub_namespace_disaster_recovery_config',
    'azurerm_servicebus_namespace',
    'azurerm_servicebus_namespace_disaster_recovery_config',
    'azurerm_private_endpoint',
    'azurerm_role_assignment',
  ],
};

export const REQUIRED_ROLES = [
  'Azure Event Hubs Data Receiver',
  'Azure Event Hubs Data Sender',
  'Storage Blob Data Contributor',
  'Azure Service Bus Data Sender',
  'Key Vault Secrets User',
];

/** Which required resource types are missing from a parsed module. */
export function missingTypes(parsed, required) {
  return required.filter((t) => !parsed.resource[t] || Object.keys(parsed.resource[t]).length === 0);
}

const ENVIRONMENTS = ['dev', 'prod'];
const first = (blocks) => (Array.isArray(blocks) ? blocks[0] : blocks);

test('the module layout is complete (main.tf, variables.tf, outputs.tf)', () => {
  assert.deepEqual(subdirs(MODULES_DIR), [...Object.keys(REQUIRED), PLATFORM].sort());
  for (const m of [...Object.keys(REQUIRED), PLATFORM]) {
    for (const f of ['main.tf', 'variables.tf', 'outputs.tf']) {
      assert.ok(existsSync(join(MODULES_DIR, m, f)), `modules/${m}/${f} is missing`);
    }
  }
  for (const e of ENVIRONMENTS) {
    for (const f of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'terraform.tfvars']) {
      assert.ok(existsSync(join(ENVS_DIR, e, f)), `environments/${e}/${f} is missing`);
    }
  }
});

for (const [name, types] of Object.entries(REQUIRED)) {
  test(`module ${name} declares ${types.join(', ')}`, async () => {
    const parsed = await loadModule(join(MODULES_DIR, name));
    assert.deepEqual(missingTypes(parsed, types), [], `modules/${name} misses resource types`);
  });
}

test('event hubs, consumer group, containers, queue and Cosmos containers have the required names and settings', async () => {
  const eh = await loadModule(join(MODULES_DIR, 'eventhubs'));
  const hubsDefault = first(eh.variable.event_hubs).default;
  assert.deepEqual(Object.keys(hubsDefault).sort(), ['aggregates', 'alerts', 'dead-letters', 'telemetry']);
  assert.equal(first(eh.variable.pipeline_consumer_group).default, 'flink-telemetry');
  assert.match(eh.texts['variables.tf'], /contains\(\["Standard", "Premium", "Dedicated"\], var\.sku\)/);

  const st = await loadModule(join(MODULES_DIR, 'storage'));
  // one data container with the sub-directories the pipelines write (--outputBase), and the
  // checkpoint container
  assert.equal(first(st.variable.data_container_name).default, 'telemetry');
  assert.equal(first(st.variable.checkpoint_container_name).default, 'flink');
  assert.match(st.texts['main.tf'], /toset\(\["raw", "aggregates", "alerts", "dead-letters"\]\)/);
  assert.deepEqual(Object.keys(first(st.variable.lifecycle_rules).default).sort(), ['aggregates', 'alerts', 'dead-letters', 'raw']);
  const policy = JSON.stringify(st.resource.azurerm_storage_management_policy);
  for (const a of ['tier_to_cool_after', 'tier_to_archive_after', 'delete_after']) assert.ok(policy.includes(a), `lifecycle lacks ${a}`);

  const cosmos = await loadModule(join(MODULES_DIR, 'cosmos'));
  const container = first(cosmos.resource.azurerm_cosmosdb_sql_container.this);
  assert.deepEqual(container.partition_key_paths, ['/deviceId']);
  assert.ok(container.default_ttl, 'Cosmos containers need a default TTL');
  assert.equal(first(cosmos.variable.database_name).default, 'telemetry');
  assert.deepEqual(Object.keys(first(cosmos.variable.containers).default).sort(), ['aggregates', 'alerts']);

  const sb = await loadModule(join(MODULES_DIR, 'servicebus'));
  const queue = first(sb.resource.azurerm_servicebus_queue.alerts);
  assert.equal(queue.requires_duplicate_detection, true);
  assert.equal(queue.dead_lettering_on_message_expiration, true);
  assert.ok(queue.max_delivery_count, 'queue needs max_delivery_count');
  assert.equal(first(sb.variable.alerts_queue_name).default, 'alerts');

  const kv = await loadModule(join(MODULES_DIR, 'keyvault'));
  assert.equal(first(kv.resource.azurerm_key_vault.this).rbac_authorization_enabled, true);
});

test('IoT Hub routes to the telemetry event hub and keeps the built-in endpoint', async () => {
  const iot = await loadModule(join(MODULES_DIR, 'iothub'));
  const hub = first(iot.resource.azurerm_iothub.this);
  assert.equal(first(hub.endpoint).type, 'AzureIotHub.EventHub');
  assert.equal(first(hub.endpoint).authentication_type, 'identityBased');
  assert.ok(hub.route.some((r) => r.source === 'DeviceMessages' && r.endpoint_names.includes('${local.telemetry_endpoint_name}')));
  assert.deepEqual(first(hub.fallback_route).endpoint_names, ['events']);
  assert.ok(hub.enrichment?.length > 0, 'enrichments expected');
});

test('least-privilege roles are all assigned, Cosmos via the built-in data contributor', async () => {
  const id = await loadModule(join(MODULES_DIR, 'identity'));
  const text = id.texts['main.tf'];
  for (const role of REQUIRED_ROLES) assert.ok(text.includes(`"${role}"`), `role ${role} is not assigned`);
  assert.match(text, /00000000-0000-0000-0000-000000000002/);
  assert.ok(!/role_definition_name\s*=\s*"(Owner|Contributor)"/.test(text), 'no broad control-plane roles');
  assert.ok(Object.keys(id.resource.azurerm_user_assigned_identity).length >= 2, 'flink and ops identities');
});

test('AKS runs workload identity + OIDC, and the FlinkDeployment is configured as required', async () => {
  const aks = await loadModule(join(MODULES_DIR, 'aks_flink'));
  const cluster = first(aks.resource.azurerm_kubernetes_cluster.this);
  assert.equal(cluster.oidc_issuer_enabled, true);
  assert.equal(cluster.workload_identity_enabled, true);
  const helm = first(aks.resource.helm_release.flink_operator);
  assert.equal(helm.chart, 'flink-kubernetes-operator');
  assert.equal(helm.version, '${var.flink_operator_version}');
  const text = aks.texts['main.tf'];
  for (const needle of [
    'local:///opt/flink/usrlib/iotbeam-runners.jar',
    'org.iotbeam.pipelines.StreamingPipeline',
    '--runner=FlinkRunner',
    '.servicebus.windows.net:9093',
    '--eventHubsAuth=OAUTHBEARER',
    '"execution.checkpointing.mode"',
    'EXACTLY_ONCE',
    '"state.backend.type"',
    '"rocksdb"',
    '"state.backend.incremental"',
    'abfss://',
    '"exponential-delay"',
    '--outputBase=azfs://',
    'org.iotbeam.pipelines.observability.FlinkBeamMetricsReporterFactory',
    '"prometheus.io/scrape"',
    'azure.workload.identity/client-id',
    'azure.workload.identity/use',
    'system:serviceaccount:',
  ]) {
    assert.ok(text.includes(needle), `aks_flink/main.tf lacks ${needle}`);
  }
});

test('notifications: Communication Services with a connected e-mail domain, its connection string only in Key Vault, read by the Flink identity', async () => {
  const acs = await loadModule(join(MODULES_DIR, 'communication'));
  const assoc = first(acs.resource.azurerm_communication_service_email_domain_association.this);
  assert.equal(assoc.communication_service_id, '${azurerm_communication_service.this.id}');
  assert.equal(assoc.email_service_domain_id, '${azurerm_email_communication_service_domain.this.id}');
  const domain = first(acs.resource.azurerm_email_communication_service_domain.this);
  assert.equal(domain.email_service_id, '${azurerm_email_communication_service.this.id}');
  assert.match(domain.domain_management, /AzureManaged/);
  // the connection string goes to Key Vault and nowhere else: no output carries it
  const secret = first(acs.resource.azurerm_key_vault_secret.connection_string);
  assert.equal(secret.name, 'acs-connection-string');
  assert.equal(secret.value, '${azurerm_communication_service.this.primary_connection_string}');
  assert.equal(secret.key_vault_id, '${var.key_vault_id}');
  for (const [name, o] of Object.entries(acs.output)) {
    assert.ok(!/(primary|secondary)_(connection_string|key)/.test(JSON.stringify(first(o).value)), `output ${name} exposes the connection string`);
  }
  const reads = first(acs.resource.azurerm_role_assignment.flink_reads);
  assert.equal(reads.role_definition_name, 'Key Vault Secrets User');
  assert.equal(reads.principal_id, '${var.flink_principal_id}');
  assert.match(JSON.stringify(reads.for_each), /connection_string\.resource_versionless_id/);
  const smtpRole = first(acs.resource.azurerm_role_definition.smtp_sender);
  assert.deepEqual(first(smtpRole.permissions).actions.sort(), [
    'Microsoft.Communication/CommunicationServices/Read',
    'Microsoft.Communication/CommunicationServices/Write',
    'Microsoft.Communication/EmailServices/write',
  ]);
  assert.ok(!/Owner|Contributor/.test(acs.texts['main.tf'].replace(/^\s*#.*$/gm, '')), 'no broad roles');

  const platform = await loadModule(PLATFORM_DIR);
  const call = first(platform.module.communication);
  assert.equal(call.key_vault_id, '${module.keyvault.id}');
  assert.equal(call.flink_principal_id, '${module.identity.flink_principal_id}');
  assert.deepEqual(call.depends_on, ['${module.keyvault}']);
});

test('diagnostic settings cover Event Hubs, Storage, Cosmos, Service Bus, IoT Hub and AKS', async () => {
  const platform = await loadModule(PLATFORM_DIR);
  const targets = first(platform.module.monitoring).diagnostic_targets;
  for (const k of ['eventhubs', 'storage', 'cosmos', 'servicebus', 'iothub', 'aks']) {
    assert.ok(targets[k], `modules/platform: no diagnostic setting for ${k}`);
  }
});

/** Problems of the platform module: resource group, one call of every module. */
export function platformProblems(platform) {
  const problems = [];
  if (!platform.resource.azurerm_resource_group) problems.push('modules/platform has no azurerm_resource_group');
  const sources = Object.values(platform.module).map((m) => first(m).source);
  for (const m of Object.keys(REQUIRED)) {
    if (!sources.includes(`../${m}`)) problems.push(`modules/platform does not call ../${m}`);
  }
  // Provider configurations belong to the root modules (a module with provider blocks
  // cannot be called with count/for_each and is legacy); the platform only requires them.
  for (const [f, text] of Object.entries(platform.texts)) {
    if (/^provider\s+"/m.test(text)) problems.push(`modules/platform/${f} configures a provider`);
    if (/^\s*backend\s+"/m.test(text)) problems.push(`modules/platform/${f} declares a backend`);
  }
  for (const p of ['azurerm', 'helm', 'kubernetes']) {
    if (!new RegExp(`hashicorp/${p}"`).test(platform.texts['versions.tf'] ?? '')) problems.push(`modules/platform does not require hashicorp/${p}`);
  }
  return problems;
}

/** Problems of an environment root module: one platform call, providers, pins, backend. */
export function environmentProblems(label, env) {
  const problems = [];
  const calls = Object.entries(env.module);
  const platformCalls = calls.filter(([, b]) => first(b).source === `../../modules/${PLATFORM}`);
  if (platformCalls.length !== 1) problems.push(`${label} must call ../../modules/${PLATFORM} exactly once`);
  for (const [name, b] of calls) {
    const src = first(b).source;
    if (src !== `../../modules/${PLATFORM}`) problems.push(`${label} calls ${src} (module ${name}) directly; compose it in modules/${PLATFORM}`);
  }
  if (Object.keys(env.resource).length) problems.push(`${label} declares resources (${Object.keys(env.resource).join(', ')}); they belong in modules/${PLATFORM}`);
  const text = Object.values(env.texts).join('\n');
  for (const p of ['azurerm', 'kubernetes', 'helm']) {
    if (!new RegExp(`^provider\\s+"${p}"`, 'm').test(text)) problems.push(`${label} does not configure provider ${p}`);
  }
  if (!/module\.platform\.kube_host/.test(text)) problems.push(`${label}: kubernetes/helm providers are not wired to the platform's AKS cluster`);
  const versions = env.texts['versions.tf'] ?? '';
  if (!/hashicorp\/azurerm"\s*\n\s*version\s*=\s*"~> 4\./.test(versions)) problems.push(`${label}: azurerm must be pinned to ~> 4.x`);
  if (!/hashicorp\/helm"/.test(versions)) problems.push(`${label}: helm is not pinned`);
  if (!/hashicorp\/kubernetes"/.test(versions)) problems.push(`${label}: kubernetes is not pinned`);
  if (!/backend "azurerm"/.test(versions)) problems.push(`${label}: no azurerm backend`);
  return problems;
}

test('the platform module creates the resource group and instantiates every module', async () => {
  assert.deepEqual(platformProblems(await loadModule(PLATFORM_DIR)), []);
});

for (const e of ENVIRONMENTS) {
  test(`environment ${e} instantiates the platform module and configures and pins the providers`, async () => {
    const env = await loadModule(join(ENVS_DIR, e));
    assert.deepEqual(environmentProblems(`environments/${e}`, env), []);
    assert.match(env.texts['versions.tf'], new RegExp(`key = "iotbeam/${e}\\.tfstate"`), 'state key of the environment');
  });
}

test('self-test: a module without a required resource is reported', async () => {
  const json = await parseHcl('fake.tf', 'resource "azurerm_servicebus_namespace" "x" {\n name = "a"\n}\n');
  assert.deepEqual(missingTypes({ resource: json.resource }, REQUIRED.servicebus), [
    'azurerm_servicebus_queue',
    'azurerm_private_endpoint',
  ]);
});

test('self-test: a platform without a module call and an environment that calls modules directly are reported', async () => {
  const p = await parseHcl('p.tf', 'provider "azurerm" {\n features {}\n}\nmodule "network" {\n source = "../network"\n}\n');
  const problems = platformProblems({ resource: {}, module: p.module, texts: { 'main.tf': 'provider "azurerm" {\n}\n' } });
  assert.ok(problems.includes('modules/platform has no azurerm_resource_group'));
  assert.ok(problems.includes('modules/platform does not call ../storage'));
  assert.ok(!problems.includes('modules/platform does not call ../network'));
  assert.ok(problems.includes('modules/platform/main.tf configures a provider'));
  assert.ok(problems.includes('modules/platform does not require hashicorp/helm'));

  const text = 'module "network" {\n source = "../../modules/network"\n}\nresource "azurerm_resource_group" "main" {\n name = "x"\n}\n';
  const env = await parseHcl('e.tf', text);
  assert.deepEqual(environmentProblems('fake', { module: env.module, resource: env.resource, texts: { 'main.tf': text } }), [
    'fake must call ../../modules/platform exactly once',
    'fake calls ../../modules/network (module network) directly; compose it in modules/platform',
    'fake declares resources (azurerm_resource_group); they belong in modules/platform',
    'fake does not configure provider azurerm',
    'fake does not configure provider kubernetes',
    'fake does not configure provider helm',
    'fake: kubernetes/helm providers are not wired to the platform\'s AKS cluster',
    'fake: azurerm must be pinned to ~> 4.x',
    'fake: helm is not pinned',
    'fake: kubernetes is not pinned',
    'fake: no azurerm backend',
  ]);
});
