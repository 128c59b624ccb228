/** Business-rule failures carry a stable snake_case code; pages show `t('errors.<code>')`, the API a problem+json. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number = 409,
    readonly params: Record<string, string | number> = {},
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

export const notFound = (what = 'not_found') => new DomainError(what, 404);
