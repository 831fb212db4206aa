/** Expected failures are values with a stable, namespaced code and a message a person can act on. */
export type ErrorCode =
  | 'auth.not_triager'
  | 'report.not_found'
  | 'report.invalid_transition'
  | 'report.invalid_input'
  | 'report.duplicate_of_self'
  | 'report.rate_limited'
  | 'severity.invalid'
  | 'cvss.invalid'
  | 'disclosure.invalid_date'
  | 'disclosure.before_receipt'
  | 'status.invalid'
  | 'command.usage'
  | 'storage.unavailable'
  | 'config.invalid';

export interface AppError {
  readonly code: ErrorCode;
  readonly message: string;
  /** Which input field the error belongs to, when it came from a form. */
  readonly field?: string;
}

export type Result<T, E extends AppError = AppError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });

export const fail = (code: ErrorCode, message: string, field?: string): Result<never> => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, message, field },
});
