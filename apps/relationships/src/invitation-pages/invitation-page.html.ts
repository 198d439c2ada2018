import { Locale } from '@app/contracts';
import { pageT } from './invitation-page-i18n';

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"'`=/]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The stylesheet of every invitation page, inline (no external resources). The
 * Content-Security-Policy allows exactly this text by its hash (`pageStyles` of
 * `startHttpService`), so it must stay a constant.
 */
export const INVITATION_PAGE_STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}
label{display:block;margin:.8rem 0 .2rem}input[type=email],input[type=password],input[type=text]{width:100%;padding:.4rem;box-sizing:border-box}
.hint{font-weight:400;color:#505050}
.check{display:flex;gap:.5rem;align-items:flex-start;margin:1rem 0}.check label{margin:0}
button{padding:.5rem 1rem;background:#0067b8;color:#fff;border:0;cursor:pointer}.error{color:#a4262c}
h2{font-size:1.1rem}nav.lang{text-align:right}.agreement{border:1px solid #c8c8c8;padding:0 1rem;margin:1rem 0}
`;

/**
 * The sign-in fields of every acceptance form, in `locale`: email, password, and the
 * organisation, asked only when the address signs in to several organisations with that password
 * (sign-in names are per organisation, issue 9 point 9): its id, Partner ID or domain.
 */
export function signInFields(locale: Locale): string {
  const t = pageT(locale);
  return `<label for="email">${escapeHtml(t('email'))}</label><input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">${escapeHtml(t('password'))}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<label for="organization">${escapeHtml(t('organization'))} <span class="hint">${escapeHtml(t('organizationHint'))}</span></label><input id="organization" name="organization" type="text" autocomplete="organization">`;
}

/**
 * A small self-contained HTML page (no scripts, no external resources) in language `lang`. Every
 * value is escaped.
 */
export function htmlPage(title: string, body: string, lang = 'en'): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${INVITATION_PAGE_STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`;
}

/**
 * A page that explains why the link cannot be used (unknown, used, revoked, expired), titled
 * `title` in language `lang`.
 */
export function invitationErrorPage(
  message: string,
  title = 'This invitation cannot be used',
  lang = 'en',
): string {
  return htmlPage(title, `<p class="error">${escapeHtml(message)}</p>`, lang);
}
