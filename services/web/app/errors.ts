import type { ApiError } from './api.js';

/** What each error code means to a reader, in plain Vietnamese. */
const BY_CODE: Record<string, string> = {
  BAD_USER_INPUT: 'Thông tin chưa hợp lệ',
  UNAUTHENTICATED: 'Bạn cần đăng nhập (hoặc phiên đăng nhập đã hết hạn)',
  FORBIDDEN: 'Bạn không có quyền thực hiện thao tác này',
  NOT_FOUND: 'Không tìm thấy',
  CONFLICT: 'Trạng thái đã thay đổi, không thể thực hiện thao tác này nữa',
  NETWORK: 'Không kết nối được với máy chủ',
};

/** The reader's name for each input field the API may name (the last segment of `input.x.y`). */
const FIELD_NAMES: Record<string, string> = {
  reason: 'Lý do',
  url: 'Đường dẫn',
  title: 'Tiêu đề',
  publishedAt: 'Thời điểm đăng',
  format: 'Loại sản phẩm',
  deliverables: 'Sản phẩm',
  orderId: 'Đơn đặt hàng',
  organizationId: 'Tổ chức',
};

/** Specific explanations where the API's rule is known. */
const BY_FIELD: Record<string, string> = {
  reason: 'Cần nêu lý do.',
  url: 'Đường dẫn phải bắt đầu bằng http:// hoặc https://.',
  publishedAt: 'Thời điểm đăng chưa hợp lệ.',
  title: 'Cần nhập tiêu đề.',
};

export interface ShownError {
  /** The input field the API named (`input.reason`, `input.deliverables.0.url`), if any. */
  readonly field: string | null;
  readonly text: string;
}

const lastSegment = (field: string): string =>
  field
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .pop() ?? field;

/** Turns an API error into a sentence for the reader and the field it belongs beside. */
export function explain(error: ApiError): ShownError {
  const code = error.extensions?.code ?? 'INTERNAL';
  const field = error.extensions?.field ?? null;
  const general = BY_CODE[code] ?? 'Đã có lỗi, vui lòng thử lại';
  if (field && code === 'BAD_USER_INPUT') {
    const segment = lastSegment(field);
    const specific = BY_FIELD[segment];
    return { field, text: specific ?? `${FIELD_NAMES[segment] ?? segment}: ${general.toLowerCase()}.` };
  }
  return { field, text: `${general}.` };
}

/** Whether an error means the API does not have the asked-for field at all (a part not deployed). */
export const isMissingFromSchema = (errors: readonly ApiError[] | undefined): boolean =>
  (errors ?? []).some((error) => error.extensions?.code === 'GRAPHQL_VALIDATION_FAILED');
