import { errorNameOf } from '@app/contracts/error-codes';
import type { TFunction } from 'i18next';
import { ApiFailure } from '../app/api-result';
import { PortalApiError } from './portal-session';

/** The API's error body `{ code, description, data, source }` (Partner Center's error shape). */
export interface ApiErrorBody {
  code: number;
  description: string;
  data?: unknown[];
  source?: string;
}

/** Whether `value` looks like the API's error body. */
export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorBody).code === 'number' &&
    typeof (value as ApiErrorBody).description === 'string'
  );
}

/** The stable name of an API error (`auth.invalid_credentials`), from its numeric `code`. */
export function apiErrorName(error: ApiErrorBody | PortalApiError): string | undefined {
  return errorNameOf(error.code);
}

/**
 * The message to show for an API error in the current language: the translation
 * `common:apiErrors.<name>` when the portal has one (the name's dots become `_`:
 * `apiErrors.auth_invalid_credentials`), else the generic message with the API's description.
 * A thrown `TypeError` (fetch could not reach the server) gives the network message. An
 * `ApiFailure` (the typed client's answer, `ok`) is read by its body.
 */
export function apiErrorMessage(t: TFunction, failure: unknown): string {
  const error =
    failure instanceof ApiFailure && isApiErrorBody(failure.body) ? failure.body : failure;
  if (error instanceof PortalApiError || isApiErrorBody(error)) {
    const name = apiErrorName(error);
    const key = name ? `common:apiErrors.${name.replace(/\./g, '_')}` : undefined;
    if (key && t(key, { defaultValue: '' })) return t(key);
    return t('common:errors.generic', { description: error.description });
  }
  if (error instanceof TypeError) return t('common:errors.network');
  return t('common:errors.generic', { description: String(error) });
}
