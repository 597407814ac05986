import { describe, expect, it } from 'vitest';
import { explain } from './errors.js';

describe('API errors in plain Vietnamese', () => {
  it('given BAD_USER_INPUT on input.reason, then it names the reason and keeps the field', () => {
    expect(
      explain({ message: 'a reason is required', extensions: { code: 'BAD_USER_INPUT', field: 'input.reason' } }),
    ).toEqual({ field: 'input.reason', text: 'Cần nêu lý do.' });
  });

  it("given a deliverable's url, then the explanation is about links and the indexed field is kept", () => {
    expect(
      explain({ message: 'x', extensions: { code: 'BAD_USER_INPUT', field: 'input.deliverables.0.url' } }),
    ).toEqual({ field: 'input.deliverables.0.url', text: 'Đường dẫn phải bắt đầu bằng http:// hoặc https://.' });
  });

  it('given CONFLICT or FORBIDDEN, then a general sentence by code', () => {
    expect(explain({ message: 'x', extensions: { code: 'CONFLICT', field: 'input.orderId' } }).text).toMatch(
      /^Trạng thái đã thay đổi/,
    );
    expect(explain({ message: 'x', extensions: { code: 'FORBIDDEN' } })).toEqual({
      field: null,
      text: 'Bạn không có quyền thực hiện thao tác này.',
    });
  });
});
