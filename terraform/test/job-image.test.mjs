// 7. The image the FlinkDeployment runs (runners/docker/Dockerfile) has what the deployment
//    names: the jar at jarURI, Flink 1.19, the reporter class of metrics.reporter.iotbeam.* on
//    the classpath (lib/), and the token provider class of fs.azure.* in the Azure file system
//    plugin. That the build context holds those classes is runners' JobImageIT (after package).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { TF_ROOT } from './lib.mjs';
import { flinkJob } from '../flink-job.mjs';

const REPO = join(TF_ROOT, '..');
const DOCKERFILE = join(REPO, 'runners/docker/Dockerfile');
const REPORTER_SERVICES = 'pipelines/src/main/resources/META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory';

/** { from, copies: [[src, dst]], runs: [text] } of a Dockerfile. */
export function dockerfile(text) {
  const from = /^ARG FLINK_IMAGE=(\S+)/m.exec(text)?.[1] ?? /^FROM (\S+)/m.exec(text)?.[1];
  const copies = [...text.matchAll(/^COPY\s+(?:--\S+\s+)*(\S+)\s+(\S+)\s*$/gm)].map((m) => [m[1], m[2]]);
  const runs = [...text.replace(/\\\n/g, ' ').matchAll(/^RUN (.*)$/gm)].map((m) => m[1]);
  return { from, copies, runs };
}

/** Where a Java class's source is, among the given source roots (relative to the repository). */
const sourceOf = (cls, roots) => roots.map((r) => join(REPO, r, `${cls.replace(/\./g, '/')}.java`)).find(existsSync);

/** Problems between a rendered FlinkDeployment and a parsed Dockerfile. */
export function imageProblems(job, image, files = { sourceOf, read: (p) => readFileSync(join(REPO, p), 'utf8') }) {
  const problems = [];
  const jarPath = job.jarURI.replace(/^local:\/\//, '');
  if (!image.copies.some(([src, dst]) => dst === jarPath && src.startsWith('usrlib/'))) problems.push(`the Dockerfile puts no jar at ${jarPath} (jarURI)`);
  const flink = /^v(\d+)_(\d+)$/.exec(job.flinkVersion);
  if (!flink || !new RegExp(`^flink:${flink[1]}\\.${flink[2]}(\\.\\d+)?-java17$`).test(image.from ?? '')) problems.push(`base image ${image.from} is not the official Flink ${job.flinkVersion} Java 17 image`);
  const conf = job.flinkConfiguration;
  const reporter = conf['metrics.reporter.iotbeam.factory.class'];
  if (!files.sourceOf(reporter ?? '', ['pipelines/src/main/java'])) problems.push(`reporter factory ${reporter} is not a class of pipelines`);
  else if (!files.read(REPORTER_SERVICES).split('\n').includes(reporter)) problems.push(`${reporter} is not in ${REPORTER_SERVICES}`);
  if (!image.copies.some(([src, dst]) => src === 'lib/' && dst === '/opt/flink/lib/')) problems.push('the Dockerfile puts nothing on the cluster classpath (lib/ -> /opt/flink/lib/)');
  const providers = Object.entries(conf).filter(([k]) => k.startsWith('fs.azure.account.oauth.provider.type.')).map(([, v]) => v);
  if (providers.length === 0) problems.push('no fs.azure.account.oauth.provider.type.* for the abfss:// checkpoints');
  for (const p of providers) {
    if (!files.sourceOf(p, ['runners/flink-azure-fs/src/main/java'])) problems.push(`token provider ${p} is not a class of runners/flink-azure-fs`);
  }
  if (!image.copies.some(([src, dst]) => src === 'plugins/azure-fs-hadoop/' && dst === '/opt/flink/plugins/azure-fs-hadoop/')) problems.push('the Dockerfile does not add the token provider to plugins/azure-fs-hadoop/');
  if (!image.runs.some((r) => /cp \/opt\/flink\/opt\/flink-azure-fs-hadoop-\*\.jar \/opt\/flink\/plugins\/azure-fs-hadoop\//.test(r))) problems.push("the Dockerfile does not enable the image's own flink-azure-fs-hadoop plugin");
  if (conf['state.checkpoints.dir']?.startsWith('abfss://') !== true) problems.push('checkpoints are not on abfss:// (what the plugin is for)');
  return problems;
}

for (const env of ['dev', 'prod']) {
  test(`environment ${env}: the Dockerfile builds the image the FlinkDeployment needs`, async () => {
    const job = await flinkJob(env);
    assert.deepEqual(imageProblems(job, dockerfile(readFileSync(DOCKERFILE, 'utf8'))), []);
  });
}

test('self-test: a Dockerfile that misses what the FlinkDeployment names is reported', () => {
  const job = {
    jarURI: 'local:///opt/flink/usrlib/iotbeam-runners.jar',
    flinkVersion: 'v1_19',
    flinkConfiguration: {
      'metrics.reporter.iotbeam.factory.class': 'org.example.Reporter',
      'fs.azure.account.oauth.provider.type.x': 'org.example.Provider',
      'state.checkpoints.dir': 'file:///tmp',
    },
  };
  const image = dockerfile('FROM flink:1.18-java11\nCOPY usrlib/job.jar /opt/flink/usrlib/job.jar\n');
  assert.deepEqual(imageProblems(job, image), [
    'the Dockerfile puts no jar at /opt/flink/usrlib/iotbeam-runners.jar (jarURI)',
    'base image flink:1.18-java11 is not the official Flink v1_19 Java 17 image',
    'reporter factory org.example.Reporter is not a class of pipelines',
    'the Dockerfile puts nothing on the cluster classpath (lib/ -> /opt/flink/lib/)',
    'token provider org.example.Provider is not a class of runners/flink-azure-fs',
    'the Dockerfile does not add the token provider to plugins/azure-fs-hadoop/',
    "the Dockerfile does not enable the image's own flink-azure-fs-hadoop plugin",
    'checkpoints are not on abfss:// (what the plugin is for)',
  ]);
});
