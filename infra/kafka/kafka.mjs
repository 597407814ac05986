#!/usr/bin/env node
// Command line for the local Kafka broker: node infra/kafka/kafka.mjs start|stop|status|ensure|fetch
// KAFKA_PORT picks the broker port (default 9092; the controller listens on the next port).
import { brokerLayout, brokerStatus, fetchJars, probeBroker, startBroker, stopBroker } from './broker.mjs';

const commands = {
  async fetch() {
    console.log(`kafka: jars in ${fetchJars()}`);
  },
  async start() {
    const { pid, brokers, startedInMs } = await startBroker();
    console.log(`kafka: started broker pid ${pid} on ${brokers.join(',')} in ${startedInMs} ms`);
  },
  async ensure() {
    const layout = brokerLayout();
    if (await probeBroker(layout)) {
      console.log(`kafka: reusing the broker already answering on ${layout.host}:${layout.port}`);
      return;
    }
    const { pid, brokers, startedInMs } = await startBroker();
    console.log(`kafka: started broker pid ${pid} on ${brokers.join(',')} in ${startedInMs} ms`);
  },
  async stop() {
    const result = await stopBroker();
    if (!result.stopped) console.log('kafka: no broker started from here is running');
    else console.log(`kafka: stopped broker pid ${result.pid}${result.killed ? ' (killed after the timeout)' : ''}`);
  },
  async status() {
    const { port, answering, brokers, pid } = await brokerStatus();
    const owner = pid === null ? 'not started from here' : `pid ${pid}`;
    console.log(`kafka: port ${port} ${answering ? `answers (${brokers.join(',')})` : 'does not answer'}; ${owner}`);
    process.exitCode = answering ? 0 : 3;
  },
};

const name = process.argv[2];
const command = name === undefined ? undefined : commands[name];
if (command === undefined) {
  console.error(`usage: node infra/kafka/kafka.mjs <${Object.keys(commands).join('|')}>`);
  process.exit(2);
}
try {
  await command();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
