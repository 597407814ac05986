import { useEffect, useMemo, useState } from 'preact/hooks';
import { request } from '../api.js';
import { isMissingFromSchema } from '../errors.js';
import { formatDate, formatDateTime, formatIndicatorValue, formatScore, periodsUpTo } from '../format.js';
import { EVENT_TYPES, label, ORGANIZATION_KINDS, POLICY_STATUSES, STATEMENT_KINDS } from '../labels.js';
import type { Session } from '../session.js';

interface Contact {
  id: string;
  fullName: string;
  title: string | null;
  phone: string | null;
  email: string | null;
}
const CONTACT = 'id fullName title phone email';

const ORGANIZATION = `query Organization($id: ID!) {
  organization(id: $id) {
    id name kind code status
    spokesperson { ${CONTACT} }
    focalPoints { ${CONTACT} }
  }
  statements(organizationId: $id, first: 5) { totalCount edges { node { id kind title releasedAt } } }
  policies(leadOrganizationId: $id, first: 5) { totalCount edges { node { id title status documentNumber issuedAt } } }
}`;

interface OrganizationData {
  organization: {
    id: string;
    name: string;
    kind: string;
    code: string | null;
    status: string;
    spokesperson: Contact | null;
    focalPoints: Contact[];
  } | null;
  statements: {
    totalCount: number;
    edges: { node: { id: string; kind: string; title: string; releasedAt: string } }[];
  };
  policies: {
    totalCount: number;
    edges: {
      node: { id: string; title: string; status: string; documentNumber: string | null; issuedAt: string | null };
    }[];
  };
}

const SCORE = `query Score($id: ID!, $period: String!) {
  organizationScore(organizationId: $id, period: $period) {
    score rank
    values {
      value numerator denominator met
      indicator { code name unit description legalBasis level }
      evidence(first: 5) { totalCount edges { node { id type occurredAt } } }
    }
  }
}`;

interface ScoreData {
  organizationScore: {
    score: number | null;
    rank: number | null;
    values: {
      value: number | null;
      numerator: number | null;
      denominator: number | null;
      met: boolean | null;
      indicator: { code: string; name: string; unit: string; description: string; legalBasis: string | null };
      evidence: { totalCount: number; edges: { node: { id: string; type: string; occurredAt: string } }[] };
    }[];
  } | null;
}

// The directory counts each province's communes and their liaisons (a list of every commune
// with its contacts would exceed the gateway's query cost for the largest provinces).
const COMMUNES = `query Communes { liaisonCoverage { grassroots { province { id } communes withFocalPoint withSpokesperson } } }`;

interface GrassrootsCoverage {
  province: { id: string };
  communes: number;
  withFocalPoint: number;
  withSpokesperson: number;
}
interface CommuneData {
  liaisonCoverage: { grassroots: GrassrootsCoverage[] };
}

function ContactCard({ contact, duty }: { readonly contact: Contact; readonly duty: string }) {
  return (
    <li class="contact">
      <p>
        <strong>{contact.fullName}</strong>
        {contact.title ? `, ${contact.title}` : ''} <span class="muted">({duty})</span>
      </p>
      <p>
        {contact.phone ? (
          <a href={`tel:${contact.phone}`}>{contact.phone}</a>
        ) : (
          <span class="muted">Điện thoại: chỉ hiện khi đăng nhập</span>
        )}
        {' · '}
        {contact.email ? (
          <a href={`mailto:${contact.email}`}>{contact.email}</a>
        ) : (
          <span class="muted">Email: chỉ hiện khi đăng nhập</span>
        )}
      </p>
    </li>
  );
}

/** An organization: who speaks for it, its indicators with their evidence, its statements and policies. */
export function OrganizationPage({ id, session }: { readonly id: string; readonly session: Session | null }) {
  const periods = useMemo(() => periodsUpTo(new Date()), []);
  const [period, setPeriod] = useState(periods[0]?.value ?? '');
  const [data, setData] = useState<OrganizationData | null | 'missing'>(null);
  const [score, setScore] = useState<ScoreData['organizationScore'] | 'loading' | 'unavailable'>('loading');
  const [communes, setCommunes] = useState<GrassrootsCoverage | 'unavailable' | null>(null);
  const token = session?.token ?? null;

  useEffect(() => {
    setData(null);
    void request<OrganizationData>(ORGANIZATION, { id }, token).then((result) =>
      setData(result.data?.organization ? result.data : 'missing'),
    );
  }, [id, token]);

  useEffect(() => {
    setScore('loading');
    void request<ScoreData>(SCORE, { id, period }, token).then((result) =>
      setScore(isMissingFromSchema(result.errors) || !result.data ? 'unavailable' : result.data.organizationScore),
    );
  }, [id, period, token]);

  const isProvince = data !== null && data !== 'missing' && data.organization?.kind === 'PROVINCE';
  useEffect(() => {
    if (!isProvince) return;
    void request<CommuneData>(COMMUNES, {}, token).then((result) =>
      setCommunes(result.data?.liaisonCoverage.grassroots.find((row) => row.province.id === id) ?? 'unavailable'),
    );
  }, [id, token, isProvince]);

  if (data === null) return <output>Đang tải…</output>;
  if (data === 'missing' || !data.organization) {
    return (
      <>
        <h1>Không tìm thấy tổ chức</h1>
        <p>Không có tổ chức với mã “{id}”.</p>
      </>
    );
  }
  const organization = data.organization;
  const periodLabel = periods.find((candidate) => candidate.value === period)?.label ?? period;
  return (
    <>
      <h1>{organization.name}</h1>
      <p class="muted">
        {label(ORGANIZATION_KINDS, organization.kind)}
        {organization.code ? ` · mã ${organization.code}` : ''}
      </p>

      <section aria-labelledby="contacts-heading">
        <h2 id="contacts-heading">Người phát ngôn và đầu mối</h2>
        <ul class="contacts">
          {organization.spokesperson ? (
            <ContactCard contact={organization.spokesperson} duty="Người phát ngôn" />
          ) : (
            <li class="muted">Chưa có người phát ngôn.</li>
          )}
          {organization.focalPoints.map((contact) => (
            <ContactCard key={contact.id} contact={contact} duty="Đầu mối truyền thông" />
          ))}
          {organization.focalPoints.length === 0 && <li class="muted">Chưa có đầu mối truyền thông.</li>}
        </ul>
      </section>

      <section aria-labelledby="score-heading">
        <h2 id="score-heading">Chỉ số đánh giá</h2>
        <p>
          <label for="org-period">Kỳ đánh giá</label>{' '}
          <select
            id="org-period"
            value={period}
            onChange={(event) => setPeriod((event.target as HTMLSelectElement).value)}
          >
            {periods.map((candidate) => (
              <option key={candidate.value} value={candidate.value}>
                {candidate.label}
              </option>
            ))}
          </select>
        </p>
        {score === 'loading' && <output>Đang tải…</output>}
        {(score === 'unavailable' || score === null) && (
          <p class="notice">Chưa có dữ liệu điểm cho {periodLabel.toLowerCase()}.</p>
        )}
        {score !== 'loading' && score !== 'unavailable' && score !== null && (
          <>
            <p class="score">
              Điểm {periodLabel.toLowerCase()}: <strong>{formatScore(score.score)}</strong>
              {score.rank !== null && ` · hạng ${score.rank}`}
            </p>
            <ul class="indicators">
              {score.values.map((value) => (
                <li key={value.indicator.code}>
                  <details>
                    <summary>
                      {value.indicator.name}: <strong>{formatIndicatorValue(value.value, value.indicator.unit)}</strong>
                      {value.numerator !== null &&
                        value.denominator !== null &&
                        ` (${value.numerator}/${value.denominator})`}
                      {value.met === true && ' · đạt'}
                      {value.met === false && ' · chưa đạt'}
                    </summary>
                    <p>{value.indicator.description}</p>
                    {value.indicator.legalBasis && <p class="muted">Căn cứ: {value.indicator.legalBasis}</p>}
                    <p>Bằng chứng ({value.evidence.totalCount} sự kiện):</p>
                    <ul>
                      {value.evidence.edges.map(({ node }) => (
                        <li key={node.id}>
                          {formatDateTime(node.occurredAt)} · {label(EVENT_TYPES, node.type)}
                        </li>
                      ))}
                    </ul>
                  </details>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="statements-heading">
        <h2 id="statements-heading">Phát ngôn gần đây</h2>
        <ul>
          {data.statements.edges.map(({ node }) => (
            <li key={node.id}>
              {formatDateTime(node.releasedAt)} · {label(STATEMENT_KINDS, node.kind)}: {node.title}
            </li>
          ))}
          {data.statements.totalCount === 0 && <li class="muted">Chưa có phát ngôn.</li>}
        </ul>
      </section>

      <section aria-labelledby="policies-heading">
        <h2 id="policies-heading">Chính sách</h2>
        <ul>
          {data.policies.edges.map(({ node }) => (
            <li key={node.id}>
              {node.documentNumber ? `${node.documentNumber} · ` : ''}
              {node.title}{' '}
              <span class="muted">
                ({label(POLICY_STATUSES, node.status)}
                {node.issuedAt ? `, ${formatDate(node.issuedAt)}` : ''})
              </span>
            </li>
          ))}
          {data.policies.totalCount === 0 && <li class="muted">Chưa có chính sách.</li>}
        </ul>
      </section>

      {isProvince && (
        <section aria-labelledby="communes-heading">
          <h2 id="communes-heading">Cấp xã</h2>
          {communes === null && <output>Đang tải…</output>}
          {communes === 'unavailable' && <p class="notice">Chưa có dữ liệu cấp xã.</p>}
          {communes !== null && communes !== 'unavailable' && (
            <p class="grassroots">
              {communes.withFocalPoint}/{communes.communes} xã, phường, đặc khu có đầu mối truyền thông;{' '}
              {communes.withSpokesperson}/{communes.communes} có người phát ngôn.
            </p>
          )}
        </section>
      )}
    </>
  );
}
