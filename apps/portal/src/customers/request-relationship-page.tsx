import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Textarea,
  Title1,
  Title2,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useApi, useSession } from '../api/session-context';
import { currentLanguage } from '../i18n/i18n';
import { ok } from '../app/api-result';
import type { RelationshipRequestSent } from './api-types';
import { ApiErrorBar } from '../app/api-error-bar';
import { loadChannelPartners } from './partners';
import { useCustomersStyles } from './styles';
import { useLoad } from '../app/use-load';

/**
 * Request a reseller relationship (seeds 000, 001): the customer's email, "Include delegated
 * administration privileges", for an indirect reseller optionally its indirect provider (a joint
 * request: seed 000 "Invite new customers"; `?provider=` preselects one), the email's language and
 * an own message. Reviewing the draft creates the request without sending it (`draftOnly`); then
 * the partner sends it from here (a resend: a fresh link, the draft's link dies), or copies it or
 * opens it in their own email program, and selects Done.
 */
export function RequestRelationshipPage() {
  const { t, i18n } = useTranslation('customers');
  const api = useApi();
  const styles = useCustomersStyles();
  const { audience } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const isReseller = audience === 'indirect_reseller';
  const [email, setEmail] = useState('');
  const [delegatedAdmin, setDelegatedAdmin] = useState(true);
  const [providerId, setProviderId] = useState(params.get('provider') ?? '');
  const [locale, setLocale] = useState<'en' | 'ja'>(currentLanguage(i18n.language));
  const [message, setMessage] = useState('');
  const [draft, setDraft] = useState<RelationshipRequestSent>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');

  const providers = useLoad(
    () => (isReseller ? loadChannelPartners(api, 'providers') : Promise.resolve([])),
    `providers:${audience}`,
  );

  const review = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setDraft(
        await ok(
          api.POST('/v1/customers/relationship-requests', {
            body: {
              email: email.trim(),
              delegatedAdmin,
              locale,
              draftOnly: true,
              ...(isReseller && providerId ? { indirectProviderId: providerId } : {}),
              ...(message.trim() ? { customMessage: message.trim() } : {}),
            },
          }),
        ),
      );
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const send = async () => {
    if (!draft) return;
    setBusy(true);
    setError(undefined);
    try {
      setDraft(
        await ok(
          api.POST('/v1/customers/relationship-requests/{id}/resend', {
            params: { path: { id: draft.id } },
            body: { draftOnly: false },
          }),
        ),
      );
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!draft) return;
    try {
      await navigator.clipboard.writeText(`${draft.draft.subject}\n\n${draft.draft.text}`);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };

  if (draft) {
    const mailto = `mailto:${encodeURIComponent(draft.email)}?subject=${encodeURIComponent(
      draft.draft.subject,
    )}&body=${encodeURIComponent(draft.draft.text)}`;
    return (
      <section aria-labelledby="draft-title">
        <Title1 as="h1" id="draft-title">
          {t('customers:request.reviewTitle')}
        </Title1>
        <MessageBar intent={draft.queued ? 'success' : 'info'}>
          <MessageBarBody>
            {draft.queued
              ? t('customers:request.sent', { email: draft.email })
              : t('customers:request.draftOnly', { email: draft.email })}
          </MessageBarBody>
        </MessageBar>
        <p>{t('customers:request.keepLink')}</p>
        <Title2 as="h2" id="draft-subject-title">
          {t('customers:request.subject')}
        </Title2>
        <p>{draft.draft.subject}</p>
        <Title2 as="h2" id="draft-body-title">
          {t('customers:request.body')}
        </Title2>
        <pre aria-labelledby="draft-body-title" className={styles.draft}>
          {draft.draft.text}
        </pre>
        {copied === 'idle' ? null : (
          <MessageBar intent={copied === 'copied' ? 'success' : 'error'}>
            <MessageBarBody>
              {copied === 'copied'
                ? t('customers:request.copied')
                : t('customers:request.copyFailed')}
            </MessageBarBody>
          </MessageBar>
        )}
        <ApiErrorBar title={t('customers:errors.title')} error={error} />
        <div role="group" aria-label={t('customers:request.draftActions')} className={styles.row}>
          {!draft.queued ? (
            <Button appearance="primary" disabled={busy} onClick={() => void send()}>
              {t('customers:request.send')}
            </Button>
          ) : null}
          <Button as="a" href={mailto}>
            {t('customers:request.openInEmail')}
          </Button>
          <Button onClick={() => void copy()}>{t('customers:request.copy')}</Button>
          <Button onClick={() => void navigate('/customers/invitations')}>
            {t('customers:request.done')}
          </Button>
        </div>
      </section>
    );
  }

  return (
    <section aria-labelledby="request-title">
      <Title1 as="h1" id="request-title">
        {t('customers:request.title')}
      </Title1>
      <p>{t('customers:request.intro')}</p>
      <form className={styles.form} onSubmit={(e) => void review(e)}>
        <Field label={t('customers:request.email')} required>
          <Input type="email" value={email} onChange={(_, d) => setEmail(d.value)} required />
        </Field>
        <Checkbox
          checked={delegatedAdmin}
          onChange={(_, d) => setDelegatedAdmin(d.checked === true)}
          label={t('customers:request.includeDelegatedAdmin')}
        />
        <p>
          {delegatedAdmin
            ? t('customers:request.withDelegatedAdmin')
            : t('customers:request.withoutDelegatedAdmin')}
        </p>
        {isReseller ? (
          <Field
            label={t('customers:request.jointProvider')}
            hint={t('customers:request.jointHint')}
          >
            <Select value={providerId} onChange={(_, d) => setProviderId(d.value)}>
              <option value="">{t('customers:request.noProvider')}</option>
              {(providers.data ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <Field label={t('customers:request.language')}>
          <Select value={locale} onChange={(_, d) => setLocale(d.value as 'en' | 'ja')}>
            <option value="en">English</option>
            <option value="ja" lang="ja">
              日本語
            </option>
          </Select>
        </Field>
        <Field label={t('customers:request.message')} hint={t('customers:request.messageHint')}>
          <Textarea value={message} maxLength={1000} onChange={(_, d) => setMessage(d.value)} />
        </Field>
        <ApiErrorBar title={t('customers:errors.title')} error={error ?? providers.error} />
        <div className={styles.row}>
          <Button type="submit" appearance="primary" disabled={busy}>
            {t('customers:request.review')}
          </Button>
          <Button type="button" onClick={() => void navigate('/customers')}>
            {t('customers:cancel')}
          </Button>
        </div>
      </form>
    </section>
  );
}
