/** Escape text for HTML element content and attribute values. */
export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"'`=/]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small self-contained HTML page (no scripts, no external resources). Every value is escaped. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}
label{display:block;margin:.8rem 0 .2rem}input[type=email],input[type=password]{width:100%;padding:.4rem;box-sizing:border-box}
.check{display:flex;gap:.5rem;align-items:flex-start;margin:1rem 0}.check label{margin:0}
button{padding:.5rem 1rem;background:#0067b8;color:#fff;border:0;cursor:pointer}.error{color:#a4262c}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`;
}

/** What the acceptance page shows about the invitation. */
export interface InvitationPageModel {
  token: string;
  providerName: string;
  providerMpnId: string;
  providerCountry: string;
  inviterName: string;
  expiresAt: Date;
  error?: string;
}

/**
 * Seed 004 steps 2–3: follow the link, sign in, "check the box and then select Authorize indirect
 * provider". The form posts to `POST /invitations/partnership/accept`.
 */
export function partnershipInvitationPage(model: InvitationPageModel): string {
  return htmlPage(
    'Authorize an indirect provider',
    `<p><strong>${escapeHtml(model.providerName)}</strong> invites your organisation to a partnership as its indirect reseller.</p>
<dl>
<dt>Indirect provider</dt><dd>${escapeHtml(model.providerName)}</dd>
<dt>Partner ID (MPN ID)</dt><dd>${escapeHtml(model.providerMpnId)}</dd>
<dt>Country</dt><dd>${escapeHtml(model.providerCountry)}</dd>
<dt>Invited by</dt><dd>${escapeHtml(model.inviterName)}</dd>
<dt>Valid until</dt><dd>${escapeHtml(model.expiresAt.toISOString())}</dd>
</dl>
${model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : ''}
<form method="post" action="/invitations/partnership/accept">
<input type="hidden" name="token" value="${escapeHtml(model.token)}">
<p>Sign in as a Global admin or Admin agent of your indirect reseller organisation.</p>
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="check"><input id="authorize" name="authorize" type="checkbox" value="true" required>
<label for="authorize">I authorize ${escapeHtml(model.providerName)} to be our indirect provider: to submit orders and add subscriptions on behalf of our customers, with administrator access to our organisation (which we can remove later).</label></div>
<button type="submit">Authorize indirect provider</button>
</form>`,
  );
}

/** The page shown after a successful authorization. */
export function partnershipAcceptedPage(providerName: string, providerMpnId: string): string {
  return htmlPage(
    'Indirect provider authorized',
    `<p><strong>${escapeHtml(providerName)}</strong> (Partner ID ${escapeHtml(providerMpnId)}) is now your indirect provider. It appears on your Indirect providers list, and your organisation on its Indirect resellers list.</p>`,
  );
}

/** A page that explains why the link cannot be used (unknown, used, revoked, expired). */
export function invitationErrorPage(message: string): string {
  return htmlPage('This invitation cannot be used', `<p class="error">${escapeHtml(message)}</p>`);
}
