import type { IndicatorCode } from './codes.js';
import type { MonthKey, Period } from './periods.js';

/** The public-communication evaluation chain (UK GCS, AMEC): inputs → outputs → outtakes → outcomes. */
export type IndicatorLevel = 'INPUT' | 'OUTPUT' | 'OUTTAKE' | 'OUTCOME';

/** Sums of one indicator's counted facts in one month, over an organization and the units merged into it. */
export interface Cell {
  readonly numerator: number;
  readonly denominator: number;
  readonly amount: number;
}

/** What the read model knows of one scored organization in one period: all an indicator measures from. */
export interface Figures {
  readonly group: 'CENTRAL' | 'PROVINCE';
  /** Counted facts per month of the months the period reads. */
  cells(indicator: IndicatorCode): ReadonlyMap<MonthKey, Cell>;
  /** Whether a standing fact of the indicator (with the tag, if given) holds at the period's instant. */
  standing(indicator: IndicatorCode, tag?: string): boolean;
  /** A province's communes active at the period's instant, and how many have a focal point in office then. */
  readonly communes: { readonly total: number; readonly withFocalPoint: number };
}

export interface Measurement {
  readonly numerator: number | null;
  readonly denominator: number | null;
  /** Null when the indicator does not apply (nothing to count): left out of the composite score. */
  readonly value: number | null;
}

export interface Indicator {
  readonly code: IndicatorCode;
  readonly name: string;
  readonly description: string;
  readonly legalBasis: string | null;
  readonly level: IndicatorLevel;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  readonly target: number | null;
  /** Share in the composite score; the weights of all indicators sum to 1. */
  readonly weight: number;
  measure(figures: Figures, period: Period): Measurement;
}

const NOT_APPLICABLE: Measurement = { numerator: null, denominator: null, value: null };

const percent = (numerator: number, denominator: number): Measurement =>
  denominator === 0
    ? { numerator, denominator, value: null }
    : { numerator, denominator, value: (100 * numerator) / denominator };

const yesNo = (holds: boolean): Measurement => ({ numerator: holds ? 1 : 0, denominator: 1, value: holds ? 1 : 0 });

/** Σ numerator / Σ denominator over the period's months, as a percentage. */
const ratioOverMonths =
  (code: IndicatorCode) =>
  (figures: Figures, period: Period): Measurement => {
    const cells = figures.cells(code);
    let numerator = 0;
    let denominator = 0;
    for (const month of period.months) {
      numerator += cells.get(month)?.numerator ?? 0;
      denominator += cells.get(month)?.denominator ?? 0;
    }
    return percent(numerator, denominator);
  };

const monthsWithAny = (cells: ReadonlyMap<MonthKey, Cell>, months: readonly MonthKey[]): number =>
  months.filter((month) => (cells.get(month)?.amount ?? 0) > 0).length;

export const indicators: readonly Indicator[] = [
  {
    code: 'SPOKESPERSON_APPOINTED',
    name: 'Có người phát ngôn',
    description:
      '1 nếu cơ quan có người phát ngôn đương nhiệm vào thời điểm cuối kỳ (hoặc hiện tại nếu kỳ chưa kết thúc), ngược lại 0. Người phát ngôn được miễn nhiệm trong kỳ, kể cả ngày cuối kỳ, không được tính.',
    legalBasis: 'Nghị định 09/2017/NĐ-CP, Điều 2',
    level: 'INPUT',
    unit: 'có/không',
    higherIsBetter: true,
    target: 1,
    weight: 0.1,
    measure: (figures) => yesNo(figures.standing('SPOKESPERSON_APPOINTED')),
  },
  {
    code: 'FOCAL_POINT_APPOINTED',
    name: 'Có đầu mối truyền thông chính sách',
    description:
      '1 nếu cơ quan có ít nhất một đầu mối truyền thông (liên lạc viên vai trò FOCAL_POINT) đương nhiệm vào thời điểm cuối kỳ (hoặc hiện tại), ngược lại 0.',
    legalBasis: 'Chỉ thị 07/CT-TTg năm 2023',
    level: 'INPUT',
    unit: 'có/không',
    higherIsBetter: true,
    target: 1,
    weight: 0.05,
    measure: (figures) => yesNo(figures.standing('FOCAL_POINT_APPOINTED')),
  },
  {
    code: 'ANNUAL_PLAN_ADOPTED',
    name: 'Ban hành kế hoạch truyền thông năm',
    description:
      '1 nếu cơ quan (hoặc đơn vị đã hợp nhất vào cơ quan) đã ban hành kế hoạch truyền thông chính sách cho năm của kỳ, trước thời điểm cuối kỳ (hoặc hiện tại), ngược lại 0.',
    legalBasis: 'Chỉ thị 07/CT-TTg năm 2023',
    level: 'INPUT',
    unit: 'có/không',
    higherIsBetter: true,
    target: 1,
    weight: 0.1,
    measure: (figures, period) => yesNo(figures.standing('ANNUAL_PLAN_ADOPTED', String(period.year))),
  },
  {
    code: 'MONTHLY_PRESS_INFORMATION',
    name: 'Cung cấp thông tin cho báo chí hằng tháng',
    description:
      'Số tháng đã bắt đầu của kỳ có ít nhất một thông cáo, phát ngôn hoặc họp báo được phát hành / số tháng đã bắt đầu của kỳ, tính theo phần trăm.',
    legalBasis: 'Nghị định 09/2017/NĐ-CP, Điều 5',
    level: 'OUTPUT',
    unit: '%',
    higherIsBetter: true,
    target: 100,
    weight: 0.15,
    measure: (figures, period) =>
      percent(monthsWithAny(figures.cells('MONTHLY_PRESS_INFORMATION'), period.months), period.months.length),
  },
  {
    code: 'QUARTERLY_PRESS_CONFERENCE',
    name: 'Họp báo định kỳ hằng quý',
    description:
      'Số quý đã bắt đầu (giao với kỳ) có ít nhất một cuộc họp báo (thông cáo loại PRESS_CONFERENCE) từ đầu quý đến cuối kỳ / số quý đó, tính theo phần trăm.',
    legalBasis: 'Nghị định 09/2017/NĐ-CP, Điều 5',
    level: 'OUTPUT',
    unit: '%',
    higherIsBetter: true,
    target: 100,
    weight: 0.15,
    measure: (figures, period) => {
      const cells = figures.cells('QUARTERLY_PRESS_CONFERENCE');
      const held = period.quarters.filter((quarter) => monthsWithAny(cells, quarter.months) > 0).length;
      return percent(held, period.quarters.length);
    },
  },
  {
    code: 'POLICIES_CONSULTED',
    name: 'Chính sách được lấy ý kiến trước khi ban hành',
    description:
      'Số chính sách cơ quan ban hành trong kỳ đã mở lấy ý kiến công khai trước thời điểm ban hành / số chính sách cơ quan ban hành trong kỳ, tính theo phần trăm. Không có chính sách nào được ban hành: không áp dụng.',
    legalBasis: 'Quyết định 407/QĐ-TTg năm 2022',
    level: 'OUTPUT',
    unit: '%',
    higherIsBetter: true,
    target: 100,
    weight: 0.1,
    measure: ratioOverMonths('POLICIES_CONSULTED'),
  },
  {
    code: 'POLICIES_COMMUNICATED_IN_DRAFT',
    name: 'Chính sách được truyền thông khi dự thảo',
    description:
      'Số chính sách cơ quan ban hành trong kỳ có ít nhất một thông cáo nêu tên chính sách, phát hành trước thời điểm ban hành / số chính sách cơ quan ban hành trong kỳ, tính theo phần trăm. Một thông cáo nêu nhiều chính sách được tính cho từng chính sách.',
    legalBasis: 'Quyết định 407/QĐ-TTg năm 2022',
    level: 'OUTPUT',
    unit: '%',
    higherIsBetter: true,
    target: 100,
    weight: 0.05,
    measure: ratioOverMonths('POLICIES_COMMUNICATED_IN_DRAFT'),
  },
  {
    code: 'FEEDBACK_ANSWERED',
    name: 'Ý kiến góp ý được trả lời',
    description:
      'Số ý kiến góp ý gửi trong kỳ về chính sách do cơ quan chủ trì, đã được trả lời đến nay / số ý kiến góp ý gửi trong kỳ, tính theo phần trăm. Ý kiến bị ẩn do kiểm duyệt không được tính ở cả tử số và mẫu số.',
    legalBasis: 'Quyết định 407/QĐ-TTg năm 2022',
    level: 'OUTTAKE',
    unit: '%',
    higherIsBetter: true,
    target: 100,
    weight: 0.1,
    measure: ratioOverMonths('FEEDBACK_ANSWERED'),
  },
  {
    code: 'DELIVERIES_ACKNOWLEDGED',
    name: 'Thông tin phát hành được xác nhận đã nhận',
    description:
      'Số lượt gửi của các đợt phát hành cơ quan bắt đầu trong kỳ đã được nơi nhận xác nhận đến nay / số lượt gửi (mỗi nơi nhận của mỗi đợt là một lượt), tính theo phần trăm.',
    legalBasis: 'Chỉ thị 07/CT-TTg năm 2023',
    level: 'OUTTAKE',
    unit: '%',
    higherIsBetter: true,
    target: null,
    weight: 0.05,
    measure: ratioOverMonths('DELIVERIES_ACKNOWLEDGED'),
  },
  {
    code: 'PRESS_ORDERS_ON_TIME',
    name: 'Đặt hàng báo chí hoàn thành đúng hạn',
    description:
      'Số đơn đặt hàng của cơ quan được nghiệm thu trong kỳ mà sản phẩm được nghiệm thu đã nộp không muộn hơn hạn / số đơn được nghiệm thu trong kỳ, tính theo phần trăm. Nghiệm thu muộn không làm đơn nộp đúng hạn thành trễ hạn.',
    legalBasis: 'Nghị định 32/2019/NĐ-CP',
    level: 'OUTPUT',
    unit: '%',
    higherIsBetter: true,
    target: 100,
    weight: 0.1,
    measure: ratioOverMonths('PRESS_ORDERS_ON_TIME'),
  },
  {
    code: 'PRESS_ORDER_SPEND',
    name: 'Kinh phí đặt hàng báo chí đã thanh toán',
    description:
      'Tổng số tiền (đồng) đã thanh toán cho các đơn đặt hàng báo chí của cơ quan trong kỳ. Chỉ để tham khảo, không tính vào điểm tổng hợp.',
    legalBasis: 'Nghị định 32/2019/NĐ-CP',
    level: 'INPUT',
    unit: 'VND',
    higherIsBetter: true,
    target: null,
    weight: 0,
    measure: (figures, period) => {
      const cells = figures.cells('PRESS_ORDER_SPEND');
      const total = period.months.reduce((sum, month) => sum + (cells.get(month)?.amount ?? 0), 0);
      return { numerator: total, denominator: null, value: total };
    },
  },
  {
    code: 'GRASSROOTS_FOCAL_POINTS',
    name: 'Đầu mối truyền thông cấp xã',
    description:
      'Chỉ áp dụng cho tỉnh, thành phố và cho kỳ có thời điểm cuối kỳ từ ngày 01/7/2025: số đơn vị hành chính cấp xã của tỉnh có đầu mối truyền thông đương nhiệm vào thời điểm cuối kỳ / số đơn vị cấp xã của tỉnh đang hoạt động vào thời điểm đó, tính theo phần trăm.',
    legalBasis: 'Chỉ thị 07/CT-TTg năm 2023; Nghị quyết 202/2025/QH15',
    level: 'INPUT',
    unit: '%',
    higherIsBetter: true,
    target: 100,
    weight: 0.05,
    measure: (figures, period) => {
      if (figures.group !== 'PROVINCE' || period.at.getTime() < COMMUNE_LEVEL_FROM.getTime()) return NOT_APPLICABLE;
      return percent(figures.communes.withFocalPoint, figures.communes.total);
    },
  },
];

/** Two-level local government, with communes under provinces, from 1 July 2025 (Asia/Ho_Chi_Minh). */
export const COMMUNE_LEVEL_FROM = new Date('2025-06-30T17:00:00.000Z');

export const indicatorByCode = new Map(indicators.map((indicator) => [indicator.code, indicator]));

/** A value on the 0–100 scale the composite score averages. */
export function scaled(indicator: Indicator, value: number): number {
  if (indicator.unit === 'có/không') return value * 100;
  return Math.max(0, Math.min(100, value));
}
