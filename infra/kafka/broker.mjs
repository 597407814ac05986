// A real single-node Apache Kafka broker (KRaft) run from the broker's own jars, fetched from Maven
// Central by the pom beside this file (design §7: Java and Maven are on the machine, Docker is not).
// Plain ESM with Node built-ins only, so scripts and test setup can import it without a build step.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cacheDir = join(here, '.cache');
const jarsDir = join(cacheDir, 'jars');
const jarsStamp = join(jarsDir, '.complete');
const pomPath = join(here, 'pom.xml');

const START_TIMEOUT_MS = Number(process.env.KAFKA_START_TIMEOUT_MS ?? 90_000);
const STOP_TIMEOUT_MS = 30_000;
const LOCK_TIMEOUT_MS = START_TIMEOUT_MS + 60_000;

/** Where one broker lives: its ports and its run folder (one per port, so brokers never share data). */
export function brokerLayout(port = Number(process.env.KAFKA_PORT ?? 9092)) {
  if (!Number.isInteger(port) || port < 1 || port > 65534) {
    throw new Error(`KAFKA_PORT must be an integer between 1 and 65534, got ${port}`);
  }
  const runDir = join(here, '.run', String(port));
  return {
    host: '127.0.0.1',
    port,
    controllerPort: port + 1,
    runDir,
    dataDir: join(runDir, 'data'),
    configPath: join(runDir, 'server.properties'),
    log4jPath: join(runDir, 'log4j.properties'),
    pidPath: join(runDir, 'broker.pid'),
    logPath: join(runDir, 'broker.log'),
    clusterIdPath: join(runDir, 'cluster.id'),
    lockPath: join(runDir, 'start.lock'),
    leasesDir: join(runDir, 'leases'),
    // Present while the broker was started by ensureBroker(): the last lease released stops it.
    ephemeralPath: join(runDir, 'ephemeral'),
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const pomHash = () => createHash('sha256').update(readFileSync(pomPath)).digest('hex');

function runMaven(outputDir, offline) {
  const args = [
    ...(offline ? ['-o'] : []),
    '-q',
    '-B',
    '-f',
    pomPath,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${outputDir}`,
    '-DincludeScope=runtime',
  ];
  return spawnSync('mvn', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Copies the broker's jars into infra/kafka/.cache/jars unless they are there for this very pom.
 * Tries Maven offline first (everything already in ~/.m2), then online, retrying once, because a
 * first fetch on a fresh machine is the step most likely to meet a flaky network.
 */
export function fetchJars({ log = console.error } = {}) {
  const hash = pomHash();
  if (existsSync(jarsStamp) && readFileSync(jarsStamp, 'utf8').trim() === hash) return jarsDir;

  mkdirSync(cacheDir, { recursive: true });
  const staging = join(cacheDir, `jars.${process.pid}.tmp`);
  const attempts = [true, false, false];
  let failure = '';
  for (const [index, offline] of attempts.entries()) {
    rmSync(staging, { recursive: true, force: true });
    if (!offline) log(`kafka: fetching broker jars with Maven (attempt ${index})...`);
    const result = runMaven(staging, offline);
    if (result.error) {
      throw new Error(`kafka: cannot run mvn (${result.error.message}); Maven must be on PATH`);
    }
    if (result.status === 0 && readdirSync(staging).some((name) => name.startsWith('kafka_2.13-'))) {
      writeFileSync(join(staging, '.complete'), `${hash}\n`);
      rmSync(jarsDir, { recursive: true, force: true });
      renameSync(staging, jarsDir);
      return jarsDir;
    }
    failure = `${result.stdout}\n${result.stderr}`.trim();
  }
  rmSync(staging, { recursive: true, force: true });
  throw new Error(`kafka: Maven could not fetch the broker jars:\n${failure}`);
}

function serverProperties(layout) {
  const { host, port, controllerPort, dataDir } = layout;
  return `# Written by infra/kafka/broker.mjs on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${host}:${controllerPort}
listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}
advertised.listeners=PLAINTEXT://${host}:${port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${dataDir}
num.network.threads=2
num.io.threads=4
num.partitions=3
auto.create.topics.enable=true
delete.topic.enable=true
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
# A single local broker: fewer offsets partitions make the first consumer group come up in a blink.
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
# Tests open and close consumer groups constantly; waiting for more members only slows them down.
group.initial.rebalance.delay.ms=0
log.retention.hours=168
log.segment.bytes=104857600
`;
}

const LOG4J = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
log4j.logger.kafka.log.LogCleaner=WARN
`;

/**
 * A new Kafka cluster id: 16 random bytes in URL-safe base64 without padding (what `random-uuid`
 * prints). One in 64 starts with "-", which the storage tool's argument parser takes for an option;
 * Kafka's own generator draws again in that case, and so does this.
 */
export function newClusterId(draw = () => randomBytes(16)) {
  for (;;) {
    const id = Buffer.from(draw()).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function clusterId(layout) {
  const stored = existsSync(layout.clusterIdPath) ? readFileSync(layout.clusterIdPath, 'utf8').trim() : '';
  if (stored !== '' && !stored.startsWith('-')) return stored;
  const id = newClusterId();
  writeFileSync(layout.clusterIdPath, `${id}\n`);
  return id;
}

function java(args, options) {
  return spawnSync('java', ['-cp', join(jarsDir, '*'), ...args], { encoding: 'utf8', ...options });
}

function formatStorage(layout) {
  if (existsSync(join(layout.dataDir, 'meta.properties'))) return;
  const result = java(
    [
      `-Dlog4j.configuration=file:${layout.log4jPath}`,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId(layout),
      '-c',
      layout.configPath,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.error) throw new Error(`kafka: cannot run java (${result.error.message}); Java 17+ must be on PATH`);
  if (result.status !== 0) {
    throw new Error(`kafka: formatting the storage failed:\n${result.stdout}\n${result.stderr}`);
  }
}

function readPid(layout) {
  if (!existsSync(layout.pidPath)) return null;
  const pid = Number(readFileSync(layout.pidPath, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The pid from the pid file when that process is still our broker (pids get reused after a reboot). */
function brokerPid(layout) {
  const pid = readPid(layout);
  if (pid === null || !isAlive(pid)) return null;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('kafka.Kafka') ? pid : null;
  } catch {
    // No /proc (macOS): a live process named in our own pid file is the best evidence there is.
    return pid;
  }
}

/** The log from its first ERROR on (where the cause usually is), or its last lines when there is none. */
function logExcerpt(layout, lines = 40) {
  if (!existsSync(layout.logPath)) return '(no broker log)';
  const all = readFileSync(layout.logPath, 'utf8').split('\n');
  const firstError = all.findIndex((line) => / (ERROR|FATAL) /.test(line));
  return (firstError === -1 ? all.slice(-lines) : all.slice(firstError, firstError + lines)).join('\n');
}

function encodeString(value) {
  const bytes = Buffer.from(value, 'utf8');
  const length = Buffer.alloc(2);
  length.writeInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * Asks the broker for cluster metadata (Metadata v1, no topics) over a raw socket and resolves to
 * the advertised brokers, or null when nothing answers on the port or the broker is not serving yet.
 * A socket accept alone is not enough: the listener opens before the broker has registered itself.
 */
export function probeBroker({ host = '127.0.0.1', port = brokerLayout().port, timeoutMs = 2_000 } = {}) {
  return new Promise((resolve) => {
    const correlationId = 1;
    const header = Buffer.alloc(8);
    header.writeInt16BE(3, 0); // api key: Metadata
    header.writeInt16BE(1, 2); // api version 1
    header.writeInt32BE(correlationId, 4);
    const topics = Buffer.alloc(4);
    topics.writeInt32BE(0); // an empty topic list: brokers only
    const body = Buffer.concat([header, encodeString('hub-kafka-probe'), topics]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);

    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(value);
    };
    const socket = connect({ host, port }, () => socket.write(Buffer.concat([size, body])));
    socket.setTimeout(timeoutMs, () => finish(null));
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      try {
        let offset = 4;
        if (received.readInt32BE(offset) !== correlationId) return finish(null);
        offset += 4;
        const count = received.readInt32BE(offset);
        offset += 4;
        const brokers = [];
        for (let i = 0; i < count; i++) {
          offset += 4; // node id
          const hostLength = received.readInt16BE(offset);
          offset += 2;
          const brokerHost = received.toString('utf8', offset, offset + hostLength);
          offset += hostLength;
          const brokerPort = received.readInt32BE(offset);
          offset += 4;
          const rackLength = received.readInt16BE(offset);
          offset += 2 + Math.max(rackLength, 0);
          brokers.push(`${brokerHost}:${brokerPort}`);
        }
        finish(brokers.length > 0 ? brokers : null);
      } catch {
        finish(null);
      }
    });
  });
}

/** Starts the broker detached and waits until it serves metadata. Refuses when the port is taken. */
export async function startBroker({ port, log = console.error } = {}) {
  const layout = brokerLayout(port);
  if (await probeBroker(layout)) throw new Error(`kafka: something already answers on ${layout.host}:${layout.port}`);
  const running = brokerPid(layout);
  if (running !== null) {
    throw new Error(`kafka: broker process ${running} exists but does not answer; run "stop" first`);
  }

  fetchJars({ log });
  mkdirSync(layout.runDir, { recursive: true });
  writeFileSync(layout.configPath, serverProperties(layout));
  writeFileSync(layout.log4jPath, LOG4J);
  formatStorage(layout);

  const startedAt = Date.now();
  const out = openSync(layout.logPath, 'w');
  const child = spawn(
    'java',
    [
      '-Xms256m',
      '-Xmx768m',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      // C1 only: a local broker carries little load, and skipping C2 makes the start much cheaper on few cores.
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${layout.log4jPath}`,
      `-Dkafka.logs.dir=${layout.runDir}`,
      '-cp',
      join(jarsDir, '*'),
      'kafka.Kafka',
      layout.configPath,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  let exit = null;
  child.on('exit', (code, signal) => {
    exit = { code, signal };
  });
  child.on('error', (error) => {
    exit = { code: null, signal: null, error };
  });
  child.unref();
  writeFileSync(layout.pidPath, `${child.pid}\n`);

  while (Date.now() - startedAt < START_TIMEOUT_MS) {
    if (exit !== null) {
      rmSync(layout.pidPath, { force: true });
      const why = exit.error ? exit.error.message : `exit code ${exit.code}, signal ${exit.signal}`;
      throw new Error(`kafka: the broker exited during start (${why}). From the broker log:\n${logExcerpt(layout)}`);
    }
    const brokers = await probeBroker({ host: layout.host, port: layout.port, timeoutMs: 1_000 });
    if (brokers) return { pid: child.pid, brokers, startedInMs: Date.now() - startedAt };
    await sleep(200);
  }
  await stopBroker({ port: layout.port });
  throw new Error(
    `kafka: the broker did not answer on ${layout.host}:${layout.port} within ${START_TIMEOUT_MS} ms. From the broker log:\n${logExcerpt(layout)}`,
  );
}

/** Sends SIGTERM (a clean, controlled shutdown), waits for the exit, and SIGKILLs after a timeout. */
export async function stopBroker({ port } = {}) {
  const layout = brokerLayout(port);
  const pid = brokerPid(layout);
  rmSync(layout.ephemeralPath, { force: true });
  if (pid === null) {
    rmSync(layout.pidPath, { force: true });
    return { stopped: false };
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  const killed = isAlive(pid);
  if (killed) {
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
  }
  rmSync(layout.pidPath, { force: true });
  return { stopped: true, pid, killed };
}

/** What runs on the port: whether it answers, and the pid when it is the broker this script started. */
export async function brokerStatus({ port } = {}) {
  const layout = brokerLayout(port);
  const brokers = await probeBroker(layout);
  return { port: layout.port, answering: brokers !== null, brokers: brokers ?? [], pid: brokerPid(layout) };
}

function lockIsStale(lockPath) {
  try {
    const owner = Number(readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0) return !isAlive(owner);
    // Empty: its owner is between creating and writing it, unless it died right there.
    return Date.now() - statSync(lockPath).mtimeMs > 5_000;
  } catch (error) {
    if (error.code === 'ENOENT') return false;
    throw error;
  }
}

/** A cross-process mutex (O_EXCL lock file holding the owner's pid) so concurrent callers never race. */
async function withLock(layout, action) {
  mkdirSync(layout.runDir, { recursive: true });
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      const fd = openSync(layout.lockPath, 'wx');
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (lockIsStale(layout.lockPath)) {
      rmSync(layout.lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`kafka: timed out waiting for ${layout.lockPath}`);
    await sleep(100);
  }
  try {
    return await action();
  } finally {
    rmSync(layout.lockPath, { force: true });
  }
}

let leaseCounter = 0;

function liveLeases(layout) {
  if (!existsSync(layout.leasesDir)) return [];
  return readdirSync(layout.leasesDir).filter((name) => {
    const pid = Number(name.split('-')[0]);
    if (isAlive(pid)) return true;
    rmSync(join(layout.leasesDir, name), { force: true });
    return false;
  });
}

/**
 * Makes sure a broker answers on the port, starting one when nothing does, and takes a lease on it.
 * `stop()` releases the lease; a broker that some ensureBroker() started is stopped when its last
 * lease is released (so parallel test files share one broker), while a broker started by hand
 * (`node infra/kafka/kafka.mjs start`) or by anything else is never stopped from here.
 */
export async function ensureBroker({ port, log = console.error } = {}) {
  const layout = brokerLayout(port);
  return withLock(layout, async () => {
    let startedByUs = false;
    if ((await probeBroker(layout)) === null) {
      await startBroker({ port: layout.port, log });
      writeFileSync(layout.ephemeralPath, '');
      startedByUs = true;
    }
    mkdirSync(layout.leasesDir, { recursive: true });
    const lease = join(layout.leasesDir, `${process.pid}-${++leaseCounter}`);
    writeFileSync(lease, '');

    let released = false;
    const stop = async () => {
      if (released) return;
      released = true;
      await withLock(layout, async () => {
        rmSync(lease, { force: true });
        if (existsSync(layout.ephemeralPath) && liveLeases(layout).length === 0)
          await stopBroker({ port: layout.port });
      });
    };
    return { brokers: [`${layout.host}:${layout.port}`], startedByUs, stop };
  });
}
