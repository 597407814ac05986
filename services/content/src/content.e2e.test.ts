import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@hub/auth';
import { configFromEnv, type RunningHub, startHub } from '@hub/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'content-e2e-secret';
const PROVINCE = 'prov-lao-cai';
const NEWSROOM = 'press-vov';
const OTHER_NEWSROOM = 'press-nhan-dan';

type Result<T> = { data?: T; errors?: { message: string; extensions?: { code?: string; field?: string } }[] };

describe('policy communication through the gateway', () => {
  let hub: RunningHub;
  let dataDir: string;
  let province: string;
  let newsroom: string;
  let otherNewsroom: string;
  const previousSecret = process.env.HUB_JWT_SECRET;

  beforeAll(async () => {
    process.env.HUB_JWT_SECRET = SECRET;
    dataDir = await mkdtemp(join(tmpdir(), 'hub-content-e2e-'));
    hub = await startHub(
      configFromEnv({ HUB_MODE: 'embedded', HUB_PORT: '0', HUB_HOST: '127.0.0.1', HUB_DATA_DIR: dataDir }),
    );
    province = await signDevToken({ sub: 'officer-lao-cai', org: PROVINCE, roles: ['ORG_EDITOR'] }, SECRET);
    newsroom = await signDevToken({ sub: 'editor-vov', org: NEWSROOM, roles: ['NEWSROOM_EDITOR'] }, SECRET);
    otherNewsroom = await signDevToken({ sub: 'editor-nd', org: OTHER_NEWSROOM, roles: ['NEWSROOM_EDITOR'] }, SECRET);
  });
  afterAll(async () => {
    await hub?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (previousSecret === undefined) delete process.env.HUB_JWT_SECRET;
    else process.env.HUB_JWT_SECRET = previousSecret;
  });

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Result<T>> => {
    const response = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Result<T>;
  };
  const mutate = async <T>(
    name: string,
    inputType: string,
    input: Record<string, unknown>,
    fields: string,
    token?: string,
  ) => {
    const result = await gql<Record<string, T>>(
      `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${fields} } }`,
      { input },
      token,
    );
    expect(result.errors).toBeUndefined();
    return result.data?.[name] as T;
  };

  it('drafts, consults, issues, releases under embargo, distributes and is acknowledged, with organizations and the spokesperson from the directory', async () => {
    const spokesperson = await mutate<{ id: string }>(
      'appointContact',
      'AppointContactInput',
      { organizationId: PROVINCE, fullName: 'Nguyễn Văn An', title: 'Chánh Văn phòng', roles: ['SPOKESPERSON'] },
      'id',
      province,
    );

    const policy = await mutate<{ id: string; leadOrganization: { name: string } }>(
      'draftPolicy',
      'DraftPolicyInput',
      { title: 'Nghị quyết hỗ trợ đồng bào vùng biên giới', leadOrganizationId: PROVINCE },
      'id leadOrganization { name }',
      province,
    );
    expect(policy.leadOrganization.name).toContain('Lào Cai');
    await mutate(
      'openConsultation',
      'OpenConsultationInput',
      {
        policyId: policy.id,
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
      'id',
      province,
    );
    const feedback = await mutate<{ policy: { id: string; status: string } }>(
      'submitFeedback',
      'SubmitFeedbackInput',
      { policyId: policy.id, text: 'Đề nghị ưu tiên các xã biên giới' },
      'policy { id status }',
    );
    expect(feedback.policy).toEqual({ id: policy.id, status: 'IN_CONSULTATION' });
    await mutate('closeConsultation', 'CloseConsultationInput', { policyId: policy.id }, 'id', province);
    await mutate(
      'issuePolicy',
      'IssuePolicyInput',
      {
        policyId: policy.id,
        documentNumber: '15/NQ-HĐND',
        issuedAt: '2025-07-10T08:00:00+07:00',
        effectiveAt: '2025-07-20T00:00:00+07:00',
      },
      'id',
      province,
    );

    const statement = await mutate<{
      id: string;
      organization: { name: string };
      spokesperson: { id: string; fullName: string; phone: string | null };
      policies: { documentNumber: string }[];
    }>(
      'releaseStatement',
      'ReleaseStatementInput',
      {
        organizationId: PROVINCE,
        kind: 'PRESS_RELEASE',
        title: 'Thông cáo báo chí về Nghị quyết 15/NQ-HĐND',
        body: 'Hội đồng nhân dân tỉnh đã thông qua…',
        policyIds: [policy.id],
        embargoUntil: new Date(Date.now() + 3_600_000).toISOString(),
      },
      'id organization { name } spokesperson { id fullName } policies { documentNumber }',
      province,
    );
    expect(statement.spokesperson).toEqual({ id: spokesperson.id, fullName: 'Nguyễn Văn An' });
    expect(statement.policies).toEqual([{ documentNumber: '15/NQ-HĐND' }]);

    const distribution = await mutate<{ id: string; recipientCount: number }>(
      'distribute',
      'DistributeInput',
      { statementId: statement.id, recipientIds: [NEWSROOM] },
      'id recipientCount',
      province,
    );
    expect(distribution.recipientCount).toBe(1);

    const seen = `query ($id: ID!) { statement(id: $id) { title organization { name } } }`;
    const byRecipient = await gql<{ statement: { title: string } | null }>(seen, { id: statement.id }, newsroom);
    expect(byRecipient.data?.statement?.title).toBe('Thông cáo báo chí về Nghị quyết 15/NQ-HĐND');
    const byOther = await gql<{ statement: unknown }>(seen, { id: statement.id }, otherNewsroom);
    expect(byOther.errors).toBeUndefined();
    expect(byOther.data?.statement).toBeNull();

    const refused = await gql(
      `mutation ($input: AcknowledgeDeliveryInput!) { acknowledgeDelivery(input: $input) { id } }`,
      { input: { distributionId: distribution.id, recipientId: NEWSROOM } },
      otherNewsroom,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const acknowledged = await mutate<{
      acknowledgedCount: number;
      deliveries: { recipient: { name: string; kind: string }; status: string }[];
    }>(
      'acknowledgeDelivery',
      'AcknowledgeDeliveryInput',
      { distributionId: distribution.id, recipientId: NEWSROOM },
      'acknowledgedCount deliveries { recipient { name kind } status }',
      newsroom,
    );
    expect(acknowledged.acknowledgedCount).toBe(1);
    expect(acknowledged.deliveries).toEqual([
      {
        recipient: { name: expect.stringContaining('Tiếng nói Việt Nam'), kind: 'PRESS_AGENCY' },
        status: 'ACKNOWLEDGED',
      },
    ]);

    const timeline = await gql<{ policy: { timeline: { type: string; organization: { name: string } }[] } }>(
      `query ($id: ID!) { policy(id: $id) { status timeline { type organization { name } } } }`,
      { id: policy.id },
    );
    expect(timeline.data?.policy.timeline.map((e) => e.type)).toEqual([
      'PolicyDrafted',
      'ConsultationOpened',
      'FeedbackSubmitted',
      'ConsultationClosed',
      'PolicyIssued',
    ]);
    expect(timeline.data?.policy.timeline[0]?.organization.name).toContain('Lào Cai');
  });
});
