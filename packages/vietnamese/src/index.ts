export * from './email.js';
export * from './input.js';
export * from './legal-document.js';
export * from './phone.js';
export * from './text.js';
export * from './time.js';
