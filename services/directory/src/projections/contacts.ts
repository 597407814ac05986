import type { EventEnvelope } from '@hub/event-catalogue';
import type { SqlExecutor } from '@hub/sql';
import { searchKey } from '@hub/vietnamese';
import type { DirectoryEvent } from '../events.js';

/**
 * Liaison contacts and spokesperson terms. A term runs from its designation until the next
 * designation, the contact's relief, or the organization's merger or dissolution, so "who was the
 * spokesperson on a date" is a range lookup.
 */
export const contactsProjection = {
  name: 'directory.contacts',
  handles: [
    'ContactAppointed',
    'ContactDetailsChanged',
    'ContactRelieved',
    'SpokespersonDesignated',
    'OrganizationMergedInto',
    'OrganizationDissolved',
  ],
  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS dir_contacts (
        contact_id text PRIMARY KEY,
        organization_id text NOT NULL,
        full_name text NOT NULL,
        title text,
        roles text[] NOT NULL,
        phone text,
        email text,
        appointed_from timestamptz NOT NULL,
        relieved_at timestamptz,
        search_key text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS dir_contacts_organization ON dir_contacts (organization_id);
      CREATE TABLE IF NOT EXISTS dir_spokesperson_terms (
        organization_id text NOT NULL,
        contact_id text NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_to timestamptz,
        PRIMARY KEY (organization_id, valid_from)
      );
      CREATE INDEX IF NOT EXISTS dir_spokesperson_terms_contact ON dir_spokesperson_terms (contact_id);
    `);
  },
  async reset(tx: SqlExecutor): Promise<void> {
    await tx.exec('TRUNCATE dir_contacts, dir_spokesperson_terms');
  },
  async apply(envelope: EventEnvelope, tx: SqlExecutor): Promise<void> {
    const event = { type: envelope.type, data: envelope.data } as unknown as DirectoryEvent;
    switch (event.type) {
      case 'ContactAppointed': {
        const d = event.data;
        await tx.query(
          `INSERT INTO dir_contacts (contact_id, organization_id, full_name, title, roles, phone, email, appointed_from, search_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (contact_id) DO NOTHING`,
          [
            d.contactId,
            d.organizationId,
            d.fullName,
            d.title,
            [...d.roles],
            d.phone,
            d.email,
            d.appointedFrom,
            keyOf(d.fullName, d.title),
          ],
        );
        return;
      }
      case 'ContactDetailsChanged': {
        const d = event.data;
        await tx.query(
          'UPDATE dir_contacts SET full_name = $2, title = $3, phone = $4, email = $5, search_key = $6 WHERE contact_id = $1',
          [d.contactId, d.fullName, d.title, d.phone, d.email, keyOf(d.fullName, d.title)],
        );
        return;
      }
      case 'ContactRelieved':
        await tx.query('UPDATE dir_contacts SET relieved_at = $2 WHERE contact_id = $1', [
          event.data.contactId,
          event.data.relievedAt,
        ]);
        await tx.query('UPDATE dir_spokesperson_terms SET valid_to = $2 WHERE contact_id = $1 AND valid_to IS NULL', [
          event.data.contactId,
          event.data.relievedAt,
        ]);
        return;
      case 'SpokespersonDesignated':
        await closeTerm(tx, event.data.organizationId, event.data.from);
        await tx.query(
          `INSERT INTO dir_spokesperson_terms (organization_id, contact_id, valid_from) VALUES ($1, $2, $3)
           ON CONFLICT (organization_id, valid_from) DO UPDATE SET contact_id = EXCLUDED.contact_id, valid_to = NULL`,
          [event.data.organizationId, event.data.contactId, event.data.from],
        );
        return;
      case 'OrganizationMergedInto':
      case 'OrganizationDissolved':
        await closeTerm(tx, event.data.organizationId, event.data.effectiveAt);
        return;
      default:
        return;
    }
  },
};

const keyOf = (fullName: string, title: string | null) => searchKey([fullName, title].filter(Boolean).join(' '));

const closeTerm = (tx: SqlExecutor, organizationId: string, at: string) =>
  tx.query('UPDATE dir_spokesperson_terms SET valid_to = $2 WHERE organization_id = $1 AND valid_to IS NULL', [
    organizationId,
    at,
  ]);
