import { useEffect, useState } from 'preact/hooks';
import { type ApiError, type LiveStatus, onLiveStatus, request, subscribe } from '../api.js';
import { explain, type ShownError } from '../errors.js';
import { formatDateTime, formatVnd } from '../format.js';
import { DELIVERABLE_FORMATS, label, ORDER_STATUSES } from '../labels.js';
import { href } from '../router.js';
import type { Session } from '../session.js';

const ORDER = `id brief format quantity budget startsAt deadline status overdue
  orderer { id name } deliverables { title url publishedAt }`;

interface Order {
  id: string;
  brief: string;
  format: string;
  quantity: number;
  budget: number;
  startsAt: string;
  deadline: string;
  status: string;
  overdue: boolean;
  orderer: { id: string; name: string };
  deliverables: { title: string; url: string; publishedAt: string }[];
}

const INBOX = `query Inbox($newsroomId: ID!) {
  organization(id: $newsroomId) { name }
  assignments(newsroomId: $newsroomId, first: 50) { totalCount edges { node { ${ORDER} } } }
}`;

const ACTIONS = {
  accept: `mutation Accept($input: PressOrderActionInput!) { acceptPressOrder(input: $input) { ${ORDER} } }`,
  decline: `mutation Decline($input: PressOrderActionInput!) { declinePressOrder(input: $input) { ${ORDER} } }`,
  submit: `mutation Submit($input: SubmitDeliverablesInput!) { submitDeliverables(input: $input) { ${ORDER} } }`,
} as const;

/** A newsroom's assignments, arriving live; accept, decline with a reason, submit what was published. */
export function Inbox({ session }: { readonly session: Session | null }) {
  const [orders, setOrders] = useState<readonly Order[]>([]);
  const [newsroomName, setNewsroomName] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [arrived, setArrived] = useState<string | null>(null);
  const [live, setLive] = useState<LiveStatus>('closed');
  useEffect(() => onLiveStatus(setLive), []);
  const newsroomId = session?.organizationId ?? null;
  const token = session?.token ?? null;

  useEffect(() => {
    if (!newsroomId || !token) return;
    void request<{ organization: { name: string } | null; assignments: { edges: { node: Order }[] } }>(
      INBOX,
      { newsroomId },
      token,
    ).then((result) => {
      if (result.errors?.[0]) setProblem(explain(result.errors[0]).text);
      setNewsroomName(result.data?.organization?.name ?? newsroomId);
      const loaded = result.data?.assignments.edges.map((edge) => edge.node) ?? [];
      setOrders((current) => [...current, ...loaded.filter((order) => !current.some((c) => c.id === order.id))]);
    });
    return subscribe<{ assignmentReceived: Order }>(
      `subscription Assignments($newsroomId: ID!) { assignmentReceived(newsroomId: $newsroomId) { ${ORDER} } }`,
      { newsroomId },
      token,
      ({ assignmentReceived: order }) => {
        setOrders((current) => (current.some((c) => c.id === order.id) ? current : [order, ...current]));
        setArrived(`Đơn đặt hàng mới từ ${order.orderer.name}: ${order.brief}`);
      },
      (errors) => setProblem(errors[0] ? explain(errors[0]).text : 'Mất kết nối, đang thử lại…'),
    );
  }, [newsroomId, token]);

  if (!session) {
    return (
      <>
        <h1>Hộp thư toà soạn</h1>
        <p>
          Cần <a href={href.signIn}>đăng nhập</a> với vai trò biên tập viên toà soạn.
        </p>
      </>
    );
  }
  const replace = (order: Order) => setOrders((current) => current.map((c) => (c.id === order.id ? order : c)));
  return (
    <>
      <h1>Hộp thư toà soạn{newsroomName ? `: ${newsroomName}` : ''}</h1>
      <output class="live-note" data-live={live}>
        {arrived ?? 'Đơn đặt hàng mới hiện ngay tại đây, không cần tải lại trang.'}
      </output>
      {problem && <p class="problem">{problem}</p>}
      {orders.length === 0 && <p class="muted">Chưa có đơn đặt hàng nào.</p>}
      <ul class="orders">
        {orders.map((order) => (
          <OrderCard key={order.id} order={order} token={session.token} onChange={replace} />
        ))}
      </ul>
    </>
  );
}

/** Where in the card an error belongs: the field the API named, else the card as a whole. */
const fieldKey = (field: string | null): string => field?.replace(/^input\./, '') ?? 'general';

function OrderCard({
  order,
  token,
  onChange,
}: {
  readonly order: Order;
  readonly token: string;
  readonly onChange: (order: Order) => void;
}) {
  const [errors, setErrors] = useState<Record<string, ShownError>>({});
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const [deliverable, setDeliverable] = useState({ format: order.format, title: '', url: '', publishedAt: '' });
  const id = (name: string) => `order-${order.id}-${name}`;

  async function act(kind: keyof typeof ACTIONS, input: Record<string, unknown>) {
    setBusy(true);
    setErrors({});
    const result = await request<Record<string, Order>>(
      ACTIONS[kind],
      { input: { orderId: order.id, ...input } },
      token,
    );
    setBusy(false);
    const failed: readonly ApiError[] = result.errors ?? [];
    if (failed.length > 0) {
      const shown: Record<string, ShownError> = {};
      for (const error of failed) {
        const explained = explain(error);
        shown[fieldKey(explained.field)] = explained;
      }
      setErrors(shown);
      return;
    }
    const updated = result.data && Object.values(result.data)[0];
    if (updated) onChange(updated);
  }

  const errorFor = (key: string) => {
    const error = errors[key];
    return error ? (
      <p class="field-error" id={id(`${key}-error`)} role="alert">
        {error.text}
      </p>
    ) : null;
  };
  const invalid = (key: string) =>
    errors[key] ? { 'aria-invalid': true as const, 'aria-describedby': id(`${key}-error`) } : {};
  // A deliverable's fields come back as deliverables.0.url and so on.
  const deliverableKey = (name: string) => `deliverables.0.${name}`;
  const canDeliver = order.status === 'ACCEPTED' || order.status === 'DELIVERY_REJECTED';

  return (
    <li class="order" data-order-id={order.id} data-status={order.status}>
      <article aria-labelledby={id('title')}>
        <h2 id={id('title')}>{order.brief}</h2>
        <p>
          <span class={`status status-${order.status.toLowerCase()}`}>{label(ORDER_STATUSES, order.status)}</span>
          {order.overdue && <span class="status status-overdue">Quá hạn</span>}
        </p>
        <dl>
          <dt>Cơ quan đặt hàng</dt>
          <dd>{order.orderer.name}</dd>
          <dt>Sản phẩm</dt>
          <dd>
            {order.quantity} × {label(DELIVERABLE_FORMATS, order.format)}
          </dd>
          <dt>Kinh phí</dt>
          <dd>{formatVnd(order.budget)}</dd>
          <dt>Thời gian</dt>
          <dd>
            {formatDateTime(order.startsAt)} – {formatDateTime(order.deadline)}
          </dd>
        </dl>
        {order.deliverables.length > 0 && (
          <ul class="deliverables">
            {order.deliverables.map((item) => (
              <li key={item.url}>
                <a href={item.url}>{item.title}</a> · {formatDateTime(item.publishedAt)}
              </li>
            ))}
          </ul>
        )}
        {errorFor('general')}
        {errorFor('orderId')}
        {order.status === 'PLACED' && (
          <div class="actions">
            <button type="button" disabled={busy} onClick={() => void act('accept', {})}>
              Nhận đặt hàng
            </button>
            <form
              class="decline"
              onSubmit={(event) => {
                event.preventDefault();
                void act('decline', { reason });
              }}
            >
              <label for={id('reason')}>Lý do từ chối</label>
              <textarea
                id={id('reason')}
                name="reason"
                rows={2}
                value={reason}
                onInput={(event) => setReason((event.target as HTMLTextAreaElement).value)}
                {...invalid('reason')}
              />
              {errorFor('reason')}
              <button type="submit" class="secondary" disabled={busy}>
                Từ chối
              </button>
            </form>
          </div>
        )}
        {canDeliver && (
          <form
            class="deliver"
            onSubmit={(event) => {
              event.preventDefault();
              const publishedAt = deliverable.publishedAt ? `${deliverable.publishedAt}:00+07:00` : '';
              void act('submit', { deliverables: [{ ...deliverable, publishedAt }] });
            }}
          >
            <fieldset>
              <legend>Nộp sản phẩm đã đăng, phát</legend>
              <label for={id('format')}>Loại sản phẩm</label>
              <select
                id={id('format')}
                value={deliverable.format}
                onChange={(event) =>
                  setDeliverable({ ...deliverable, format: (event.target as HTMLSelectElement).value })
                }
              >
                {Object.entries(DELIVERABLE_FORMATS).map(([value, text]) => (
                  <option key={value} value={value}>
                    {text}
                  </option>
                ))}
              </select>
              <label for={id('deliverable-title')}>Tiêu đề</label>
              <input
                id={id('deliverable-title')}
                value={deliverable.title}
                onInput={(event) => setDeliverable({ ...deliverable, title: (event.target as HTMLInputElement).value })}
                {...invalid(deliverableKey('title'))}
              />
              {errorFor(deliverableKey('title'))}
              <label for={id('url')}>Đường dẫn</label>
              <input
                id={id('url')}
                inputMode="url"
                value={deliverable.url}
                onInput={(event) => setDeliverable({ ...deliverable, url: (event.target as HTMLInputElement).value })}
                {...invalid(deliverableKey('url'))}
              />
              {errorFor(deliverableKey('url'))}
              <label for={id('published')}>Thời điểm đăng (giờ Việt Nam)</label>
              <input
                id={id('published')}
                type="datetime-local"
                value={deliverable.publishedAt}
                onInput={(event) =>
                  setDeliverable({ ...deliverable, publishedAt: (event.target as HTMLInputElement).value })
                }
                {...invalid(deliverableKey('publishedAt'))}
              />
              {errorFor(deliverableKey('publishedAt'))}
              {errorFor('deliverables')}
              <button type="submit" disabled={busy}>
                Nộp sản phẩm
              </button>
            </fieldset>
          </form>
        )}
      </article>
    </li>
  );
}
