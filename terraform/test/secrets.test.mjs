// 4. No committed secrets under terraform/ nor in the repository's tracked files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { walk, TF_ROOT, scanFiles, scanText, gitTrackedFiles, AZURITE_KEY, AZURITE_ACCOUNT, COSMOS_EMULATOR_KEY } from './lib.mjs';

const fmt = (fs) => fs.map((f) => `${f.file}:${f.line} ${f.rule} ${f.excerpt}`).join('\n');

test('no secrets in files under terraform/', () => {
  const findings = scanFiles(walk(TF_ROOT));
  assert.deepEqual(findings, [], `possible secrets:\n${fmt(findings)}`);
});

test('no secrets in the tracked files of the repository', (t) => {
  const files = gitTrackedFiles();
  if (files === null) {
    t.skip('not a git checkout (or no git): repository scan skipped');
    return;
  }
  const findings = scanFiles(files);
  assert.deepEqual(findings, [], `possible secrets:\n${fmt(findings)}`);
});

// Planted strings are built at run time so this file itself stays clean.
const fakeKey = 'Q'.repeat(43) + 'w'.repeat(43) + '==';
const planted = {
  accountKey: `DefaultEndpointsProtocol=https;AccountName=prod;Account${'Key'}=${fakeKey};EndpointSuffix=core.windows.net`,
  sas: `Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;Shared${'Access'}Key=${'a1B2'.repeat(11)}=`,
  pem: `-----BEGIN RSA ${'PRIVATE'} KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----`,
  password: `administrator_${'password'} = "S3cr3t-Passw0rd!"`,
  clientSecret: `client_${'secret'} = "abc~DEF.ghi_jkl"`,
  bareKey: `storage_key = "${fakeKey}"`,
};

for (const [name, text] of Object.entries(planted)) {
  test(`self-test: the scanner flags a planted ${name}`, () => {
    assert.ok(scanText('planted.tf', text).length > 0, `not flagged: ${name}`);
  });
}

test('self-test: the Azurite key is allowed only next to devstoreaccount1', () => {
  const azurite = `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};Account${'Key'}=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:10000/${AZURITE_ACCOUNT};`;
  assert.deepEqual(scanText('azurite.properties', azurite), []);
  const alone = `key = "${AZURITE_KEY}"`;
  assert.ok(scanText('elsewhere.tf', alone).length > 0, 'the Azurite key without devstoreaccount1 must be flagged');
});

test('self-test: the Cosmos DB emulator key is allowed only where the emulator is named', () => {
  const named = `/** The Cosmos DB emulator's published key. */\nString EMULATOR_KEY = "${COSMOS_EMULATOR_KEY}";`;
  assert.deepEqual(scanText('LocalCosmos.java', named), []);
  const alone = `cosmos_key = "${COSMOS_EMULATOR_KEY}"`;
  assert.ok(scanText('elsewhere.tf', alone).length > 0, 'the emulator key without the word emulator must be flagged');
});

test('self-test: references and placeholders are not flagged', () => {
  const ok = [
    'password = var.db_password',
    'value = module.monitoring.application_insights_connection_string',
    'client_secret = "${var.client_secret}"',
    'password = "<set-me>"',
    '"integrity": "sha512-' + 'A'.repeat(86) + '=="',
  ].join('\n');
  assert.deepEqual(scanText('ok.tf', ok), []);
});
