#!/usr/bin/env node
// `npm test`: everything CI checks, in order, each suite ending with one plain summary line
// ("unit: 212 passed, 0 failed"). Installs the Debian packages the tests run for real when they
// are missing and we may (root or passwordless sudo); otherwise says which to install.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const OUT = '.ci/out';
mkdirSync(OUT, { recursive: true });
const only = process.argv.slice(2);
const want = (suite) => only.length === 0 || only.includes(suite);
const lines = [];
let failed = false;

function sh(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function report(suite, passed, failedCount, skipped = 0) {
  const line = `${suite}: ${passed} passed, ${failedCount} failed${skipped ? `, ${skipped} skipped` : ''}`;
  lines.push(line);
  console.log(`\n${line}\n`);
  if (failedCount > 0) failed = true;
}

function ensurePackages() {
  const need = {
    chromium: '/usr/bin/chromium',
    'nats-server': '/usr/sbin/nats-server',
    prometheus: '/usr/bin/prometheus',
    'prometheus-node-exporter': '/usr/bin/prometheus-node-exporter',
    xvfb: '/usr/bin/xvfb-run',
  };
  const missing = Object.entries(need)
    .filter(([, bin]) => !existsSync(bin))
    .map(([pkg]) => pkg);
  if (missing.length === 0) return;
  const root = process.getuid?.() === 0;
  const sudo = root ? [] : spawnSync('sudo', ['-n', 'true']).status === 0 ? ['sudo', '-n'] : null;
  if (!sudo) {
    console.error(
      `Missing Debian packages: ${missing.join(' ')}. Install them: sudo apt-get install -y ${missing.join(' ')}`,
    );
    process.exit(1);
  }
  const apt = (args) =>
    sudo.length
      ? sh(sudo[0], [...sudo.slice(1), 'apt-get', ...args], { DEBIAN_FRONTEND: 'noninteractive' })
      : sh('apt-get', args, { DEBIAN_FRONTEND: 'noninteractive' });
  apt(['update', '-q']);
  if (apt(['install', '-y', '-q', '--no-install-recommends', ...missing]) !== 0) {
    console.error(`Could not install ${missing.join(' ')}`);
    process.exit(1);
  }
}

function vitest(project) {
  const file = `${OUT}/${project}.json`;
  rmSync(file, { force: true });
  const code = sh('npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ]);
  if (!existsSync(file)) return report(project, 0, 1);
  const r = JSON.parse(readFileSync(file, 'utf8'));
  // A suite that fails to load counts as a failure even though no test inside it ran.
  const broken = r.testResults.filter(
    (t) => t.status === 'failed' && t.assertionResults.length === 0,
  ).length;
  report(
    project,
    r.numPassedTests,
    r.numFailedTests + broken + (code !== 0 && r.numFailedTests + broken === 0 ? 1 : 0),
    r.numPendingTests + r.numTodoTests,
  );
}

/** "file › title: reason" for every skipped test of a Playwright JSON report. */
function skipReasons(suites) {
  const out = [];
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue;
        const notes = (t.annotations ?? []).filter((a) => a.type === 'skip' && a.description);
        const reason =
          notes.map((a) => a.description).join('; ') ||
          'did not run (an earlier test of its serial group failed)';
        out.push(`${spec.file ?? suite.file} › ${spec.title}: ${reason}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of suites) walk(suite);
  return out;
}

function playwright() {
  // Absolute: Playwright would resolve a relative name against the config's folder.
  const file = resolve(`${OUT}/e2e.json`);
  rmSync(file, { force: true });
  const args = [
    'playwright',
    'test',
    '--config',
    'e2e/playwright.config.ts',
    '--reporter=list,json',
  ];
  const env = { PLAYWRIGHT_JSON_OUTPUT_NAME: file };
  const headless = !process.env.DISPLAY && existsSync('/usr/bin/xvfb-run');
  const code = headless ? sh('xvfb-run', ['-a', 'npx', ...args], env) : sh('npx', args, env);
  if (!existsSync(file)) return report('e2e', 0, 1);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const s = json.stats;
  // What could not run, and why (test.skip's reason, e.g. no Electron runtime on this machine).
  for (const why of skipReasons(json.suites ?? [])) lines.push(`e2e skipped: ${why}`);
  report(
    'e2e',
    s.expected + s.flaky,
    s.unexpected + (code !== 0 && s.unexpected === 0 ? 1 : 0),
    s.skipped,
  );
}

ensurePackages();
if (sh('npm', ['run', '--silent', 'build']) !== 0) report('build', 0, 1);
else report('build', 1, 0);
if (want('typecheck')) {
  const code = sh('npm', ['run', '--silent', 'typecheck']);
  report('typecheck', code === 0 ? 1 : 0, code === 0 ? 0 : 1);
}
if (want('lint')) {
  const eslint = sh('npx', ['eslint', '.', '--max-warnings=0']);
  const prettier = sh('npx', ['prettier', '--check', '.', '--log-level=warn']);
  report('lint', (eslint === 0) + (prettier === 0), (eslint !== 0) + (prettier !== 0));
}
if (want('unit')) vitest('unit');
if (want('integration')) vitest('integration');
if (want('e2e')) playwright();

console.log('\n' + lines.join('\n'));
process.exit(failed ? 1 : 0);
