import type { EventEnvelope } from '@hub/event-catalogue';
import type { SqlExecutor } from '@hub/sql';
import { searchKey } from '@hub/vietnamese';
import type { ContentEvent } from '../events.js';

const POLICY_EVENTS = [
  'PolicyDrafted',
  'ConsultationOpened',
  'FeedbackSubmitted',
  'FeedbackAnswered',
  'FeedbackHidden',
  'ConsultationClosed',
  'PolicyIssued',
  'PolicySuperseded',
] as const;

/** Policies, their feedback, and each policy's own events in order (its timeline). */
export const policiesProjection = {
  name: 'content.policies',
  handles: POLICY_EVENTS,
  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS content_policies (
        policy_id text PRIMARY KEY,
        title text NOT NULL,
        summary text,
        lead_organization_id text NOT NULL,
        status text NOT NULL,
        document_number text,
        consultation_opens_at timestamptz,
        consultation_closes_at timestamptz,
        issued_at timestamptz,
        effective_at timestamptz,
        superseded_by text,
        drafted_at timestamptz NOT NULL,
        search_key text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS content_policies_listing ON content_policies (drafted_at DESC, policy_id);
      CREATE INDEX IF NOT EXISTS content_policies_lead ON content_policies (lead_organization_id, drafted_at DESC);
      CREATE INDEX IF NOT EXISTS content_policies_document ON content_policies (document_number);
      CREATE TABLE IF NOT EXISTS content_feedback (
        feedback_id text PRIMARY KEY,
        policy_id text NOT NULL,
        text text NOT NULL,
        submitted_at timestamptz NOT NULL,
        answer text,
        answered_at timestamptz,
        hidden boolean NOT NULL DEFAULT false,
        hidden_reason text
      );
      CREATE INDEX IF NOT EXISTS content_feedback_policy ON content_feedback (policy_id, submitted_at, feedback_id);
      CREATE TABLE IF NOT EXISTS content_policy_events (
        event_id text PRIMARY KEY,
        policy_id text NOT NULL,
        revision bigint NOT NULL,
        type text NOT NULL,
        stream text NOT NULL,
        occurred_at timestamptz NOT NULL,
        organization_id text,
        data jsonb NOT NULL
      );
      CREATE INDEX IF NOT EXISTS content_policy_events_policy ON content_policy_events (policy_id, revision);
    `);
  },
  async reset(tx: SqlExecutor): Promise<void> {
    await tx.exec('TRUNCATE content_policies, content_feedback, content_policy_events');
  },
  async apply(envelope: EventEnvelope, tx: SqlExecutor): Promise<void> {
    const event = { type: envelope.type, data: envelope.data } as unknown as ContentEvent;
    await tx.query(
      `INSERT INTO content_policy_events (event_id, policy_id, revision, type, stream, occurred_at, organization_id, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING`,
      [
        envelope.id,
        envelope.stream.slice('policy-'.length),
        envelope.revision,
        envelope.type,
        envelope.stream,
        envelope.occurredAt,
        envelope.organizationId,
        JSON.stringify(envelope.data),
      ],
    );
    switch (event.type) {
      case 'PolicyDrafted': {
        const d = event.data;
        await tx.query(
          `INSERT INTO content_policies (policy_id, title, summary, lead_organization_id, status, drafted_at, search_key)
           VALUES ($1, $2, $3, $4, 'DRAFT', $5, $6) ON CONFLICT (policy_id) DO NOTHING`,
          [d.policyId, d.title, d.summary, d.organizationId, d.draftedAt, searchKey(d.title)],
        );
        return;
      }
      case 'ConsultationOpened':
        await tx.query(
          `UPDATE content_policies SET status = 'IN_CONSULTATION', consultation_opens_at = $2, consultation_closes_at = $3
           WHERE policy_id = $1`,
          [event.data.policyId, event.data.opensAt, event.data.closesAt],
        );
        return;
      case 'FeedbackSubmitted':
        await tx.query(
          `INSERT INTO content_feedback (feedback_id, policy_id, text, submitted_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (feedback_id) DO NOTHING`,
          [event.data.feedbackId, event.data.policyId, event.data.text, event.data.submittedAt],
        );
        return;
      case 'FeedbackAnswered':
        await tx.query('UPDATE content_feedback SET answer = $2, answered_at = $3 WHERE feedback_id = $1', [
          event.data.feedbackId,
          event.data.answer,
          event.data.answeredAt,
        ]);
        return;
      case 'FeedbackHidden':
        await tx.query('UPDATE content_feedback SET hidden = true, hidden_reason = $2 WHERE feedback_id = $1', [
          event.data.feedbackId,
          event.data.reason,
        ]);
        return;
      case 'ConsultationClosed':
        // The window ends when the editors close it, which may be before the announced date.
        await tx.query(
          `UPDATE content_policies SET status = 'CONSULTATION_CLOSED',
             consultation_closes_at = LEAST(consultation_closes_at, $2) WHERE policy_id = $1`,
          [event.data.policyId, event.data.closedAt],
        );
        return;
      case 'PolicyIssued':
        await tx.query(
          `UPDATE content_policies SET status = 'ISSUED', document_number = $2, issued_at = $3, effective_at = $4
           WHERE policy_id = $1`,
          [event.data.policyId, event.data.documentNumber, event.data.issuedAt, event.data.effectiveAt],
        );
        return;
      case 'PolicySuperseded':
        await tx.query(`UPDATE content_policies SET status = 'SUPERSEDED', superseded_by = $2 WHERE policy_id = $1`, [
          event.data.policyId,
          event.data.supersededById,
        ]);
        return;
      default:
        return;
    }
  },
};
