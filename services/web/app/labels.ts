/** Vietnamese names of the API's enumerations, as a reader sees them. */
export const STATEMENT_KINDS: Record<string, string> = {
  PRESS_RELEASE: 'Thông cáo báo chí',
  PRESS_CONFERENCE: 'Họp báo',
  WRITTEN_REPLY: 'Trả lời bằng văn bản',
  REBUTTAL: 'Phản bác thông tin sai',
  CORRECTION_REQUEST: 'Đề nghị cải chính',
};

export const ORDER_STATUSES: Record<string, string> = {
  PLACED: 'Mới đặt hàng',
  ACCEPTED: 'Đã nhận',
  DECLINED: 'Đã từ chối',
  DELIVERED: 'Đã nộp sản phẩm',
  DELIVERY_ACCEPTED: 'Đã nghiệm thu',
  DELIVERY_REJECTED: 'Nghiệm thu không đạt',
  SETTLED: 'Đã thanh toán',
  CANCELLED: 'Đã huỷ',
};

export const DELIVERABLE_FORMATS: Record<string, string> = {
  ARTICLE: 'Bài viết',
  VIDEO: 'Video',
  RADIO: 'Chương trình phát thanh',
  INFOGRAPHIC: 'Đồ hoạ thông tin',
  SOCIAL_POST: 'Bài đăng mạng xã hội',
};

export const POLICY_STATUSES: Record<string, string> = {
  DRAFT: 'Dự thảo',
  IN_CONSULTATION: 'Đang lấy ý kiến',
  CONSULTATION_CLOSED: 'Đã kết thúc lấy ý kiến',
  ISSUED: 'Đã ban hành',
  SUPERSEDED: 'Đã được thay thế',
};

export const ORGANIZATION_KINDS: Record<string, string> = {
  GOVERNMENT_OFFICE: 'Văn phòng Chính phủ',
  MINISTRY: 'Bộ',
  MINISTERIAL_AGENCY: 'Cơ quan ngang bộ',
  GOVERNMENT_AGENCY: 'Cơ quan thuộc Chính phủ',
  PROVINCE: 'Tỉnh, thành phố',
  PROVINCIAL_DEPARTMENT: 'Sở, ngành',
  PRESS_AGENCY: 'Cơ quan báo chí',
  MASS_ORGANIZATION: 'Tổ chức chính trị - xã hội',
  COMMUNE: 'Xã, phường, đặc khu',
};

export const EVENT_TYPES: Record<string, string> = {
  StatementReleased: 'Phát ngôn',
  PolicyDrafted: 'Dự thảo chính sách',
  ConsultationOpened: 'Mở lấy ý kiến',
  ConsultationClosed: 'Kết thúc lấy ý kiến',
  PolicyIssued: 'Ban hành chính sách',
  FeedbackSubmitted: 'Góp ý mới',
  FeedbackAnswered: 'Trả lời góp ý',
  DistributionStarted: 'Gửi thông tin đến cơ quan báo chí',
  DeliveryAcknowledged: 'Cơ quan báo chí xác nhận đã nhận',
  PressOrderPlaced: 'Đặt hàng báo chí',
  PressOrderAccepted: 'Toà soạn nhận đặt hàng',
  PressOrderDeclined: 'Toà soạn từ chối đặt hàng',
  DeliverablesSubmitted: 'Nộp sản phẩm báo chí',
  DeliveryAccepted: 'Nghiệm thu sản phẩm',
  PressOrderSettled: 'Thanh toán đặt hàng',
  ContactAppointed: 'Bổ nhiệm đầu mối',
  SpokespersonDesignated: 'Chỉ định người phát ngôn',
  PlanAdopted: 'Ban hành kế hoạch truyền thông',
};

export const label = (names: Record<string, string>, value: string): string => names[value] ?? value;
