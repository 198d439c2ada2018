import { Injectable } from '@nestjs/common';
import { describeIssues, DomainError } from '@app/platform';
import {
  Locale,
  RenderedEmail,
  TEMPLATES_WITH_LINK,
  TEMPLATE_DATA,
  TemplateId,
} from '@app/contracts';
import { assertSafeUrl } from './handlebars-helpers';
import { TemplateCatalog } from './template-catalog';

// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_NEWLINE_AND_TAB = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001f\u007f]+/g;

/** Deep copy of `value` with every string passed through `clean`. */
function mapStrings(value: unknown, clean: (s: string) => string): unknown {
  if (typeof value === 'string') return clean(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, clean));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, clean)]));
  }
  return value;
}

/** Body text: line breaks normalized to `\n`, other control characters (but tab) removed. */
const bodyText = (s: string) =>
  s.replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_NEWLINE_AND_TAB, '');
/** Subject text: every control character (CR and LF included) becomes a space. */
const subjectText = (s: string) => s.replace(ANY_CONTROL, ' ');

/**
 * The one render step (STYLE.md "Render, then deliver"): both the inviter's draft preview
 * (relationships, in process) and the notifications worker's delivery call it.
 */
@Injectable()
export class EmailRenderer {
  constructor(private readonly catalog: TemplateCatalog) {}

  /**
   * Render `template` in `locale` (English when that locale has no translation) with `data` and,
   * for an invitation, its `link`. The link is a variable of the template (a button and the plain
   * URL), never part of the custom message, which is rendered escaped with its line breaks kept.
   * Returns `{ subject, html, text, locale }`; the subject is one line (no CR/LF).
   * @throws DomainError 400 `email.data_invalid` when `data` fails `TEMPLATE_DATA[template]`,
   *   400 `email.link_required` for a template of `TEMPLATES_WITH_LINK` without a link,
   *   400 `email.link_invalid` when the link is not an http(s) URL.
   */
  render(template: TemplateId, locale: Locale, data: unknown, link?: string): RenderedEmail {
    const parsed = TEMPLATE_DATA[template].safeParse(data);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      throw new DomainError(
        'email.data_invalid',
        400,
        `The data of the ${template} email is invalid: ${issues
          .map((i) => `${i.path || '(root)'}: ${i.message}`)
          .join('; ')}`,
        { issues },
      );
    }
    const needsLink = TEMPLATES_WITH_LINK.has(template);
    if (needsLink && !link) {
      throw new DomainError(
        'email.link_required',
        400,
        `The ${template} email must carry its link.`,
      );
    }
    if (needsLink && link) {
      try {
        assertSafeUrl(link);
      } catch {
        throw new DomainError('email.link_invalid', 400, 'The link must be an http or https URL.');
      }
    }
    const chosen = this.catalog.template(template, locale);
    const runtime = { data: { locale: chosen.locale } };
    const linkVars = needsLink ? { link } : {};
    const body = { ...(mapStrings(parsed.data, bodyText) as object), ...linkVars };
    const subjectVars = { ...(mapStrings(parsed.data, subjectText) as object), ...linkVars };

    const subject = chosen.subject(subjectVars, runtime).replace(/\s+/g, ' ').trim();
    const htmlPartials = { ...runtime, partials: this.catalog.partials(chosen.locale, 'html') };
    const textPartials = { ...runtime, partials: this.catalog.partials(chosen.locale, 'text') };
    const html = this.catalog.layout.html(
      { subject, body: this.catalog.safe(chosen.html(body, htmlPartials)) },
      htmlPartials,
    );
    const text = this.catalog.layout
      .text({ subject, body: chosen.text(body, textPartials).trim() }, textPartials)
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    return { subject, html, text: `${text}\n`, locale: chosen.locale };
  }
}
