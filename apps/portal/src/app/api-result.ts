/**
 * A failed call of the typed client: the HTTP status and the error body as answered (the API
 * error format `{ code, description, data, source }`, or Microsoft Graph's
 * `{ error: { code, message } }` on the GDAP routes).
 */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
    this.name = 'ApiFailure';
  }

  /** Graph's error name and sentence, when the body is in Graph's format. */
  get graphError(): { code: string; message: string } | undefined {
    const error = (this.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    return error && typeof error.code === 'string' && typeof error.message === 'string'
      ? { code: error.code, message: error.message }
      : undefined;
  }
}

interface ClientResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The documented body of a successful answer of the typed client (`{ data, error, response }`),
 * or an {@link ApiFailure} thrown for any other answer. An empty success (204) gives `undefined`.
 */
export async function ok<T>(call: Promise<ClientResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiFailure(response.status, error);
  return data as T;
}
