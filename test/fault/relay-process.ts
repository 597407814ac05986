// A relay in a process of its own, so a test can kill it with SIGKILL: no finally block, no
// flush, no clean shutdown. Environment: FAULT_DATABASE_URL, FAULT_TOPIC, FAULT_BROKERS.
import { kafkaEventBus } from '@hub/event-bus';
import { postgresEventStore } from '@hub/event-store';
import { startRelay } from '@hub/relay';
import { ledgerCatalogue } from '@hub/relay/testing';
import { postgresClient } from '@hub/sql';

const { FAULT_DATABASE_URL: databaseUrl, FAULT_TOPIC: topic, FAULT_BROKERS: brokers } = process.env;
if (!databaseUrl || !topic || !brokers) throw new Error('set FAULT_DATABASE_URL, FAULT_TOPIC and FAULT_BROKERS');

const sql = postgresClient({ connectionString: databaseUrl, max: 2 });
const store = await postgresEventStore({ sql, catalogue: ledgerCatalogue() });
const bus = kafkaEventBus({ brokers: brokers.split(','), clientId: 'fault-relay-process' });
// Small batches, so a kill lands between many checkpoints.
await startRelay({ name: 'killed', store, bus, topic, sql, batchSize: 50, logger: () => {} });
