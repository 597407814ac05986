import { fold } from '@hub/command-handling';
import { describe, expect, it } from 'vitest';
import type { DirectoryEvent } from '../events.js';
import { type OrganizationCommand, organizationDecider } from './organization.js';

const laoCai = 'prov-lao-cai';
const registered: DirectoryEvent = {
  type: 'OrganizationRegistered',
  data: {
    organizationId: laoCai,
    name: 'Lào Cai',
    nameEn: 'Lao Cai',
    shortName: null,
    kind: 'PROVINCE',
    code: '10',
    parentId: null,
    areas: { border: true, coastal: false, island: false },
    establishedAt: '1991-10-01T00:00:00.000Z',
  },
};
const register: OrganizationCommand = {
  type: 'RegisterOrganization',
  ...(registered.data as Extract<DirectoryEvent, { type: 'OrganizationRegistered' }>['data']),
};
const appointed = (
  contactId: string,
  roles: ('SPOKESPERSON' | 'FOCAL_POINT')[],
  appointedFrom = '2025-01-01T00:00:00.000Z',
): DirectoryEvent => ({
  type: 'ContactAppointed',
  data: {
    organizationId: laoCai,
    contactId,
    fullName: `Người ${contactId}`,
    title: null,
    roles,
    phone: null,
    email: null,
    appointedFrom,
  },
});

/** given `history`, when `command`: the events decided, or the error. */
function when(history: readonly DirectoryEvent[], command: OrganizationCommand) {
  return organizationDecider.decide(command, fold(organizationDecider, history));
}

describe('organization decider', () => {
  it('given nothing, when registering, then OrganizationRegistered', () => {
    const result = when([], register);
    expect(result).toEqual({ ok: true, value: [registered] });
  });

  it('given a registered organization, when registering it again, then CONFLICT', () => {
    const result = when([registered], register);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('CONFLICT');
  });

  it('given a spokesperson, when designating another, then the designation names the one it ends', () => {
    const result = when(
      [
        registered,
        appointed('a', ['SPOKESPERSON']),
        {
          type: 'SpokespersonDesignated',
          data: { organizationId: laoCai, contactId: 'a', from: '2025-01-01T00:00:00.000Z', previousContactId: null },
        },
        appointed('b', ['FOCAL_POINT']),
      ],
      {
        type: 'DesignateSpokesperson',
        contactId: 'b',
        from: '2025-03-01T00:00:00.000Z',
      },
    );
    expect(result).toEqual({
      ok: true,
      value: [
        {
          type: 'SpokespersonDesignated',
          data: { organizationId: laoCai, contactId: 'b', from: '2025-03-01T00:00:00.000Z', previousContactId: 'a' },
        },
      ],
    });
  });

  it('given an appointment with the SPOKESPERSON role, then it is designated in the same decision', () => {
    const result = when([registered], {
      type: 'AppointContact',
      contactId: 'a',
      fullName: 'Người a',
      title: null,
      roles: ['SPOKESPERSON'],
      phone: null,
      email: null,
      appointedFrom: '2025-01-01T00:00:00.000Z',
    });
    expect(result.ok && result.value.map((e) => e.type)).toEqual(['ContactAppointed', 'SpokespersonDesignated']);
  });

  it('given a merged organization, when appointing a contact, then BAD_USER_INPUT naming the organization', () => {
    const merged: DirectoryEvent = {
      type: 'OrganizationMergedInto',
      data: {
        organizationId: laoCai,
        successorId: 'x',
        effectiveAt: '2025-07-01T00:00:00.000Z',
        legalBasis: '202/2025/QH15',
      },
    };
    const result = when([registered, merged], {
      type: 'AppointContact',
      contactId: 'a',
      fullName: 'A',
      title: null,
      roles: ['FOCAL_POINT'],
      phone: null,
      email: null,
      appointedFrom: '2025-08-01T00:00:00.000Z',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.details.field).toBe('input.organizationId');
  });

  it('given a relieved contact, when designating them, then BAD_USER_INPUT on contactId', () => {
    const relieved: DirectoryEvent = {
      type: 'ContactRelieved',
      data: { organizationId: laoCai, contactId: 'a', relievedAt: '2025-02-01T00:00:00.000Z', reason: null },
    };
    const result = when([registered, appointed('a', ['FOCAL_POINT']), relieved], {
      type: 'DesignateSpokesperson',
      contactId: 'a',
      from: '2025-03-01T00:00:00.000Z',
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect([result.error.code, result.error.details.field]).toEqual(['BAD_USER_INPUT', 'input.contactId']);
  });

  it('given a contact, when relieving before the appointment, then BAD_USER_INPUT on relievedAt', () => {
    const result = when([registered, appointed('a', ['FOCAL_POINT'], '2025-05-01T00:00:00.000Z')], {
      type: 'RelieveContact',
      contactId: 'a',
      relievedAt: '2025-04-01T00:00:00.000Z',
      reason: null,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.details.field).toBe('input.relievedAt');
  });

  it('given a contact, when changing nothing, then no event', () => {
    expect(
      when([registered, appointed('a', ['FOCAL_POINT'])], {
        type: 'UpdateContact',
        contactId: 'a',
        fullName: 'Người a',
      }),
    ).toEqual({
      ok: true,
      value: [],
    });
  });

  it('given a dissolved organization, when designating a spokesperson, then BAD_USER_INPUT and no event', () => {
    const dissolved: DirectoryEvent = {
      type: 'OrganizationDissolved',
      data: { organizationId: laoCai, effectiveAt: '2025-06-01T00:00:00.000Z', reason: 'Sáp nhập' },
    };
    const result = when([registered, appointed('a', ['FOCAL_POINT']), dissolved], {
      type: 'DesignateSpokesperson',
      contactId: 'a',
      from: '2025-07-01T00:00:00.000Z',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('BAD_USER_INPUT');
  });

  it('given a contact, when the designation starts before the appointment, then BAD_USER_INPUT on from', () => {
    const result = when([registered, appointed('a', ['FOCAL_POINT'], '2025-05-01T00:00:00.000Z')], {
      type: 'DesignateSpokesperson',
      contactId: 'a',
      from: '2025-04-01T00:00:00.000Z',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.details.field).toBe('input.from');
  });

  it('given a spokesperson since March, when a new one would start in February, then BAD_USER_INPUT on from', () => {
    const history: DirectoryEvent[] = [
      registered,
      appointed('a', ['SPOKESPERSON'], '2025-03-01T00:00:00.000Z'),
      {
        type: 'SpokespersonDesignated',
        data: { organizationId: laoCai, contactId: 'a', from: '2025-03-01T00:00:00.000Z', previousContactId: null },
      },
      appointed('b', ['FOCAL_POINT'], '2025-01-01T00:00:00.000Z'),
    ];
    const result = when(history, { type: 'DesignateSpokesperson', contactId: 'b', from: '2025-02-01T00:00:00.000Z' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.details.field).toBe('input.from');
  });

  it('given an organization established in 1991, when an appointment predates it, then BAD_USER_INPUT on appointedFrom', () => {
    const result = when([registered], {
      type: 'AppointContact',
      contactId: 'a',
      fullName: 'A',
      title: null,
      roles: ['FOCAL_POINT'],
      phone: null,
      email: null,
      appointedFrom: '1990-01-01T00:00:00.000Z',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.details.field).toBe('input.appointedFrom');
  });

  it('given the spokesperson, when relieved, then the organization has no spokesperson', () => {
    const history: DirectoryEvent[] = [
      registered,
      appointed('a', ['SPOKESPERSON']),
      {
        type: 'SpokespersonDesignated',
        data: { organizationId: laoCai, contactId: 'a', from: '2025-01-01T00:00:00.000Z', previousContactId: null },
      },
      {
        type: 'ContactRelieved',
        data: { organizationId: laoCai, contactId: 'a', relievedAt: '2025-02-01T00:00:00.000Z', reason: null },
      },
    ];
    expect(fold(organizationDecider, history).spokesperson).toBeNull();
  });
});
