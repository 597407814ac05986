import { useEffect, useState } from 'preact/hooks';
import { type LiveStatus, onLiveStatus, request, subscribe } from '../api.js';
import { formatDateTime } from '../format.js';
import { EVENT_TYPES, label, STATEMENT_KINDS } from '../labels.js';
import { href } from '../router.js';
import type { Session } from '../session.js';

interface FeedItem {
  readonly id: string;
  readonly at: string;
  readonly kind: string;
  readonly title: string;
  readonly organization: { readonly id: string; readonly name: string } | null;
}

const STATEMENT_FIELDS = 'id kind title releasedAt organization { id name }';
interface StatementNode {
  id: string;
  kind: string;
  title: string;
  releasedAt: string;
  organization: { id: string; name: string };
}
const fromStatement = (statement: StatementNode): FeedItem => ({
  id: `statement:${statement.id}`,
  at: statement.releasedAt,
  kind: label(STATEMENT_KINDS, statement.kind),
  title: statement.title,
  organization: statement.organization,
});

const LIMIT = 20;

/**
 * Public statements as they are released (or their embargo lifts), newest first; a signed-in
 * reader also sees the other events the audience rule lets them see. New items arrive over
 * graphql-ws and are announced politely.
 */
export function Feed({ session }: { readonly session: Session | null }) {
  const [items, setItems] = useState<readonly FeedItem[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [live, setLive] = useState<LiveStatus>('closed');
  const token = session?.token ?? null;
  useEffect(() => onLiveStatus(setLive), []);

  useEffect(() => {
    const add = (item: FeedItem) =>
      setItems((current) =>
        current.some((existing) => existing.id === item.id) ? current : [item, ...current].slice(0, LIMIT),
      );
    void request<{ statements: { edges: { node: StatementNode }[] } }>(
      `query Feed { statements(first: 10) { edges { node { ${STATEMENT_FIELDS} } } } }`,
      {},
      token,
    ).then((result) => {
      if (!result.data) return setProblem('Không tải được tin mới.');
      const loaded = result.data.statements.edges.map((edge) => fromStatement(edge.node));
      setItems((current) => [...current, ...loaded.filter((item) => !current.some((c) => c.id === item.id))]);
    });
    const stops = [
      subscribe<{ statementReleased: StatementNode }>(
        `subscription Statements { statementReleased { ${STATEMENT_FIELDS} } }`,
        {},
        token,
        (data) => add(fromStatement(data.statementReleased)),
        () => setProblem('Mất kết nối với luồng tin trực tiếp, đang thử lại…'),
      ),
    ];
    if (token) {
      stops.push(
        subscribe<{
          events: { id: string; type: string; occurredAt: string; organization: { id: string; name: string } | null };
        }>(
          'subscription Events { events { id type occurredAt organization { id name } } }',
          {},
          token,
          ({ events }) => {
            // Statements come through their own subscription, with their title.
            if (events.type === 'StatementReleased') return;
            add({
              id: `event:${events.id}`,
              at: events.occurredAt,
              kind: label(EVENT_TYPES, events.type),
              title: label(EVENT_TYPES, events.type),
              organization: events.organization,
            });
          },
        ),
      );
    }
    return () => {
      for (const stop of stops) stop();
    };
  }, [token]);

  return (
    <section class="feed" aria-labelledby="feed-heading" data-live={live}>
      <h2 id="feed-heading">Tin mới</h2>
      <p class="muted">{live === 'connected' ? '● Trực tiếp' : 'Đang kết nối luồng tin trực tiếp…'}</p>
      {problem && <p class="problem">{problem}</p>}
      <ol aria-live="polite" aria-relevant="additions" class="feed-items">
        {items.length === 0 && <li class="empty">Chưa có phát ngôn nào.</li>}
        {items.map((item) => (
          <li key={item.id} data-feed-id={item.id}>
            <p class="feed-meta">
              <time dateTime={item.at}>{formatDateTime(item.at)}</time> · {item.kind}
            </p>
            <p class="feed-title">{item.title}</p>
            {item.organization && (
              <p class="feed-org">
                <a href={href.organization(item.organization.id)}>{item.organization.name}</a>
              </p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
