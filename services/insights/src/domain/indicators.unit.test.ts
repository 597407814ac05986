import { describe, expect, it } from 'vitest';
import {
  acknowledged,
  appointed,
  consultationOpened,
  deliveryAccepted,
  designated,
  distributed,
  feedbackAnswered,
  feedbackHidden,
  feedbackSubmitted,
  mergedInto,
  planAdopted,
  policyIssued,
  registered,
  relieved,
  settled,
  statement,
  vn,
} from '../testing/events.js';
import type { IndicatorCode } from './codes.js';
import { InsightsFold } from './fold.js';
import { parsePeriod } from './periods.js';

const NOW = new Date(vn('2026-01-15T09:00'));
const PROVINCE = 'prov-10';
const MINISTRY = 'min-finance';
const base = [
  registered(PROVINCE, 'PROVINCE', 'Lào Cai', { code: '10' }),
  registered(MINISTRY, 'MINISTRY', 'Bộ Tài chính'),
];

function measure(events: Parameters<InsightsFold['apply']>[0][], period: string, organizationId = PROVINCE) {
  const fold = new InsightsFold([...base, ...events]);
  const p = parsePeriod(period, NOW);
  const result = fold.scoreboard(p).find((candidate) => candidate.organization.id === organizationId);
  if (!result) throw new Error(`${organizationId} is not scored in ${period}`);
  const value = (code: IndicatorCode) => {
    const found = result.values.find((candidate) => candidate.indicator.code === code);
    if (!found) throw new Error(code);
    return { numerator: found.numerator, denominator: found.denominator, value: found.value, met: found.met };
  };
  return {
    result,
    value,
    evidence: (code: IndicatorCode) => fold.evidence(organizationId, code, p).map((ref) => ref.eventId),
  };
}

describe('MONTHLY_PRESS_INFORMATION', () => {
  it('given statements in January and March 2025, when Q1 2025 is measured, then 2 of 3 months count', () => {
    const january = statement(PROVINCE, vn('2025-01-10T08:00'));
    const march = statement(PROVINCE, vn('2025-03-31T23:59'));
    const april = statement(PROVINCE, vn('2025-04-01T00:00'));
    const m = measure([january, march, april], '2025-Q1');
    expect(m.value('MONTHLY_PRESS_INFORMATION')).toEqual({ numerator: 2, denominator: 3, value: 200 / 3, met: false });
    expect(m.evidence('MONTHLY_PRESS_INFORMATION')).toEqual([january.id, march.id]);
  });

  it('given a period not yet over, then only its started months are counted', () => {
    const m = measure([statement(PROVINCE, vn('2026-01-02T08:00'))], '2026');
    expect(m.value('MONTHLY_PRESS_INFORMATION')).toEqual({ numerator: 1, denominator: 1, value: 100, met: true });
  });
});

describe('QUARTERLY_PRESS_CONFERENCE', () => {
  it('given one press conference in February 2025, when the year is measured, then 1 of 4 quarters', () => {
    const m = measure(
      [
        statement(PROVINCE, vn('2025-02-14T09:00'), { kind: 'PRESS_CONFERENCE' }),
        statement(PROVINCE, vn('2025-05-01T09:00')),
      ],
      '2025',
    );
    expect(m.value('QUARTERLY_PRESS_CONFERENCE')).toEqual({ numerator: 1, denominator: 4, value: 25, met: false });
  });

  it('given a press conference in January, when March is measured, then its quarter so far has one', () => {
    const m = measure([statement(PROVINCE, vn('2025-01-20T09:00'), { kind: 'PRESS_CONFERENCE' })], '2025-03');
    expect(m.value('QUARTERLY_PRESS_CONFERENCE')).toEqual({ numerator: 1, denominator: 1, value: 100, met: true });
  });
});

describe('POLICIES_CONSULTED and POLICIES_COMMUNICATED_IN_DRAFT', () => {
  it('given nothing issued in the period, then both are null and left out of the score', () => {
    const m = measure([statement(MINISTRY, vn('2025-01-10T08:00'))], '2025-01', MINISTRY);
    expect(m.value('POLICIES_CONSULTED')).toEqual({ numerator: 0, denominator: 0, value: null, met: null });
    expect(m.value('POLICIES_COMMUNICATED_IN_DRAFT').value).toBeNull();
    // Applicable: spokesperson 0 (w .10), focal point 0 (.05), plan 0 (.10), monthly 100 (.15), quarterly 0 (.15).
    expect(m.result.score).toBe(Math.round((10000 * 0.15) / 0.55) / 100);
  });

  it('given a statement naming two draft policies, then each policy counts it once', () => {
    const s = statement(MINISTRY, vn('2025-02-01T08:00'), { policyIds: ['p1', 'p2', 'p2'] });
    const events = [
      s,
      consultationOpened('p1', MINISTRY, vn('2025-01-05T08:00')),
      policyIssued('p1', MINISTRY, vn('2025-03-01T08:00')),
      policyIssued('p2', MINISTRY, vn('2025-03-02T08:00')),
      // Opened after issuance: does not make p3 consulted.
      policyIssued('p3', MINISTRY, vn('2025-03-03T08:00')),
      consultationOpened('p3', MINISTRY, vn('2025-03-04T08:00')),
    ];
    const m = measure(events, '2025-Q1', MINISTRY);
    expect(m.value('POLICIES_COMMUNICATED_IN_DRAFT')).toEqual({
      numerator: 2,
      denominator: 3,
      value: 200 / 3,
      met: false,
    });
    expect(m.value('POLICIES_CONSULTED')).toEqual({ numerator: 1, denominator: 3, value: 100 / 3, met: false });
    expect(m.evidence('POLICIES_COMMUNICATED_IN_DRAFT')).toEqual([s.id, events[2]?.id, events[3]?.id, events[4]?.id]);
  });
});

describe('FEEDBACK_ANSWERED', () => {
  it('given three feedbacks of which one answered and one hidden, then 1 of 2, and the hidden one is no evidence', () => {
    const events = [
      feedbackSubmitted('f1', MINISTRY, vn('2025-04-01T08:00')),
      feedbackSubmitted('f2', MINISTRY, vn('2025-04-02T08:00')),
      feedbackSubmitted('f3', MINISTRY, vn('2025-04-03T08:00')),
      feedbackHidden('f3', MINISTRY, vn('2025-04-03T09:00')),
      feedbackAnswered('f1', MINISTRY, vn('2025-07-01T08:00')),
    ];
    const m = measure(events, '2025-Q2', MINISTRY);
    expect(m.value('FEEDBACK_ANSWERED')).toEqual({ numerator: 1, denominator: 2, value: 50, met: false });
    expect(m.evidence('FEEDBACK_ANSWERED')).toEqual([events[0]?.id, events[1]?.id, events[4]?.id]);
  });

  it('given the answer folded before the submission (another stream), then the same figures', () => {
    const submitted = feedbackSubmitted('f1', MINISTRY, vn('2025-04-01T08:00'));
    const answered = feedbackAnswered('f1', MINISTRY, vn('2025-04-02T08:00'));
    expect(measure([answered, submitted], '2025-Q2', MINISTRY).value('FEEDBACK_ANSWERED').value).toBe(100);
  });
});

describe('DELIVERIES_ACKNOWLEDGED', () => {
  it('given a distribution to three recipients, two acknowledging (one twice), then 2 of 3', () => {
    const events = [
      distributed('d1', MINISTRY, ['a', 'b', 'c'], vn('2025-05-01T08:00')),
      acknowledged('d1', MINISTRY, 'a', vn('2025-05-01T09:00')),
      acknowledged('d1', MINISTRY, 'b', vn('2025-05-02T09:00')),
      acknowledged('d1', MINISTRY, 'b', vn('2025-05-03T09:00')),
    ];
    expect(measure(events, '2025-05', MINISTRY).value('DELIVERIES_ACKNOWLEDGED')).toEqual({
      numerator: 2,
      denominator: 3,
      value: 200 / 3,
      met: null,
    });
  });
});

describe('PRESS_ORDERS_ON_TIME and PRESS_ORDER_SPEND', () => {
  it('given an order delivered on time but accepted after its deadline and one delivered late, then 1 of 2 on time', () => {
    const events = [
      deliveryAccepted('o1', PROVINCE, {
        deliveredAt: vn('2025-06-10T08:00'),
        deadline: vn('2025-06-10T17:00'),
        acceptedAt: vn('2025-06-20T08:00'),
      }),
      deliveryAccepted('o2', PROVINCE, {
        deliveredAt: vn('2025-06-11T08:00'),
        deadline: vn('2025-06-10T17:00'),
        acceptedAt: vn('2025-06-12T08:00'),
      }),
      settled('o1', PROVINCE, 12_500_000, vn('2025-06-25T08:00')),
      settled('o2', PROVINCE, 7_000_000, vn('2025-07-02T08:00')),
    ];
    const m = measure(events, '2025-06');
    expect(m.value('PRESS_ORDERS_ON_TIME')).toEqual({ numerator: 1, denominator: 2, value: 50, met: false });
    expect(m.value('PRESS_ORDER_SPEND')).toEqual({
      numerator: 12_500_000,
      denominator: null,
      value: 12_500_000,
      met: null,
    });
  });
});

describe('SPOKESPERSON_APPOINTED and FOCAL_POINT_APPOINTED', () => {
  it('given a spokesperson relieved on the last day of the quarter, then none is in office at its end', () => {
    const events = [
      appointed('c1', PROVINCE, ['SPOKESPERSON'], vn('2024-01-01T08:00')),
      designated('c1', PROVINCE, vn('2024-01-01T08:00')),
      relieved('c1', PROVINCE, vn('2025-03-31T16:00')),
    ];
    expect(measure(events, '2025-Q1').value('SPOKESPERSON_APPOINTED')).toEqual({
      numerator: 0,
      denominator: 1,
      value: 0,
      met: false,
    });
    expect(measure(events, '2024').value('SPOKESPERSON_APPOINTED').value).toBe(1);
  });

  it('given a spokesperson relieved at midnight after the quarter, then one was in office at its end', () => {
    const events = [
      designated('c1', PROVINCE, vn('2024-01-01T08:00')),
      relieved('c1', PROVINCE, vn('2025-04-01T00:00')),
    ];
    expect(measure(events, '2025-Q1').value('SPOKESPERSON_APPOINTED').value).toBe(1);
  });

  it('given a focal point appointed in the period and another relieved, then one is in office', () => {
    const events = [
      appointed('c2', PROVINCE, ['FOCAL_POINT'], vn('2025-02-01T08:00')),
      appointed('c3', PROVINCE, ['FOCAL_POINT', 'EDITOR'], vn('2024-02-01T08:00')),
      relieved('c3', PROVINCE, vn('2025-01-01T08:00')),
    ];
    const m = measure(events, '2025-Q1');
    expect(m.value('FOCAL_POINT_APPOINTED').value).toBe(1);
    expect(m.evidence('FOCAL_POINT_APPOINTED')).toEqual([events[0]?.id]);
  });
});

describe('ANNUAL_PLAN_ADOPTED', () => {
  it('given a 2025 plan adopted in February, then January does not have it and March does', () => {
    const events = [
      planAdopted(PROVINCE, 2025, vn('2025-02-10T08:00')),
      planAdopted(PROVINCE, 2024, vn('2024-01-10T08:00')),
    ];
    expect(measure(events, '2025-01').value('ANNUAL_PLAN_ADOPTED').value).toBe(0);
    expect(measure(events, '2025-03').value('ANNUAL_PLAN_ADOPTED').value).toBe(1);
  });
});

describe('GRASSROOTS_FOCAL_POINTS', () => {
  const communes = [
    registered('xa-1', 'COMMUNE', 'Xã Bảo Thắng', { parentId: PROVINCE, at: vn('2025-07-01') }),
    registered('xa-2', 'COMMUNE', 'Phường Sa Pa', { parentId: PROVINCE, at: vn('2025-07-01') }),
    appointed('c9', 'xa-1', ['FOCAL_POINT'], vn('2025-07-05T08:00')),
  ];

  it('given two communes with one focal point, then 50% from the third quarter of 2025', () => {
    expect(measure(communes, '2025-Q3').value('GRASSROOTS_FOCAL_POINTS')).toEqual({
      numerator: 1,
      denominator: 2,
      value: 50,
      met: false,
    });
  });

  it('given a period before 1 July 2025, then it does not apply, nor to a ministry', () => {
    expect(measure(communes, '2025-Q2').value('GRASSROOTS_FOCAL_POINTS').value).toBeNull();
    expect(measure(communes, '2025-Q3', MINISTRY).value('GRASSROOTS_FOCAL_POINTS').value).toBeNull();
  });
});

describe('the 2025 reorganization', () => {
  const YEN_BAI = 'prov-15';
  const structure = [
    registered(YEN_BAI, 'PROVINCE', 'Yên Bái', { code: '15' }),
    mergedInto(YEN_BAI, PROVINCE, vn('2025-07-01')),
  ];
  const conference = statement(YEN_BAI, vn('2025-02-14T09:00'), { kind: 'PRESS_CONFERENCE' });

  it('given a period ending before 1 July 2025, then Yên Bái is ranked on its own', () => {
    const fold = new InsightsFold([...base, ...structure, conference]);
    const ids = fold.scoreboard(parsePeriod('2025-Q2', NOW)).map((result) => result.organization.id);
    expect(ids).toContain(YEN_BAI);
    expect(measure([...structure, conference], '2025-Q1', YEN_BAI).value('QUARTERLY_PRESS_CONFERENCE').value).toBe(100);
    expect(measure([...structure, conference], '2025-Q1').value('QUARTERLY_PRESS_CONFERENCE').value).toBe(0);
  });

  it("given the year 2025, across the merger, then Yên Bái's press conference counts for Lào Cai", () => {
    const m = measure([...structure, conference], '2025');
    expect(m.value('QUARTERLY_PRESS_CONFERENCE')).toEqual({ numerator: 1, denominator: 4, value: 25, met: false });
    expect(m.evidence('QUARTERLY_PRESS_CONFERENCE')).toEqual([conference.id]);
    const fold = new InsightsFold([...base, ...structure, conference]);
    expect(fold.scoreboard(parsePeriod('2025', NOW)).map((result) => result.organization.id)).not.toContain(YEN_BAI);
  });

  it('given a period after the merger, then only acts in it count', () => {
    expect(measure([...structure, conference], '2025-Q3').value('QUARTERLY_PRESS_CONFERENCE').value).toBe(0);
  });
});

describe('the ministries merged on 1 March 2025', () => {
  const MIC = 'min-information-communications';
  const MOST = 'min-science-technology';
  const structure = [
    registered(MIC, 'MINISTRY', 'Bộ Thông tin và Truyền thông'),
    registered(MOST, 'MINISTRY', 'Bộ Khoa học và Công nghệ'),
    mergedInto(MIC, MOST, vn('2025-03-01')),
  ];
  const january = feedbackSubmitted('f-mic', MIC, vn('2025-01-15T08:00'));
  const answered = feedbackAnswered('f-mic', MIC, vn('2025-02-01T08:00'));

  it('given feedback the absorbed ministry answered in January, when Q1 2025 (ending after the merger) is measured, then it counts for its successor', () => {
    const m = measure([...structure, january, answered], '2025-Q1', MOST);
    expect(m.value('FEEDBACK_ANSWERED')).toEqual({ numerator: 1, denominator: 1, value: 100, met: true });
    expect(m.evidence('FEEDBACK_ANSWERED')).toEqual([january.id, answered.id]);
  });

  it('given February 2025, before the merger, then each ministry is ranked on its own', () => {
    const fold = new InsightsFold([...base, ...structure, january]);
    const ids = fold.scoreboard(parsePeriod('2025-02', NOW)).map((result) => result.organization.id);
    expect(ids).toEqual(expect.arrayContaining([MIC, MOST]));
    expect(fold.scoreboard(parsePeriod('2025-03', NOW)).map((result) => result.organization.id)).not.toContain(MIC);
  });
});

describe('composite score and rank', () => {
  it('given two provinces and a ministry, then ranks are per group, best first, equal scores share a rank', () => {
    const fold = new InsightsFold([
      ...base,
      registered('prov-01', 'PROVINCE', 'Hà Nội', { code: '01' }),
      registered('prov-02', 'PROVINCE', 'Hà Giang', { code: '02' }),
      statement('prov-01', vn('2025-01-05T08:00')),
    ]);
    const results = fold.scoreboard(parsePeriod('2025-01', NOW));
    expect(results.map((result) => [result.organization.id, result.rank])).toEqual([
      ['prov-01', 1],
      [MINISTRY, 1],
      ['prov-02', 2],
      [PROVINCE, 2],
    ]);
  });
});
