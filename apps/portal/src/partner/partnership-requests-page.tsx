import type { ApiPaths } from '@app/api-client';
import {
  Button,
  Checkbox,
  Field,
  Input,
  Link,
  Select,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  Title1,
  Title2,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../app/confirm-dialog';
import { useApi, useSession } from '../api/session-context';
import { currentLanguage } from '../i18n/i18n';
import { RouterLink } from '../app/router-link';
import { ApiErrorBar } from '../app/api-error-bar';
import { DoneBar, Loading, managesPartnerships, usePartnerStyles } from './partner-ui';
import { Pager } from '../app/pager';
import { ok } from '../app/api-result';
import { useLoad } from '../app/use-load';
import { useSeekPages } from '../app/use-seek-pages';
import { useFormat } from '../app/format';
import { PARTNER_PATHS } from './partner-paths';

type Sent =
  ApiPaths['/v1/partnership-requests']['post']['responses'][201]['content']['application/json'];
type Invitation =
  ApiPaths['/v1/partnership-requests']['get']['responses'][200]['content']['application/json']['items'][number];

type Received =
  ApiPaths['/v1/partnership-requests/received']['get']['responses'][200]['content']['application/json']['items'][number];

const STATUSES = ['pending', 'accepted', 'expired', 'revoked'] as const;
type Status = (typeof STATUSES)[number];

/** The received requests the list shows (the API lists no other). */
const RECEIVED_STATUSES = ['pending', 'accepted'] as const;
type ReceivedStatus = (typeof RECEIVED_STATUSES)[number];

/**
 * Partnership requests. An indirect provider (seed 002 "Request a partnership") writes the
 * request, reviews the draft email (`POST /v1/partnership-requests` with `draftOnly`: nothing is
 * sent yet), then sends it from the portal (`POST …/{id}/resend`, which mails a fresh link) or
 * opens it in its email application / copies it and sends it itself; its requests are listed by
 * status (pending, accepted, expired, revoked) with resend and revoke. An indirect reseller sees
 * the requests it received (`GET /v1/partnership-requests/received`: pending, accepted) and
 * authorizes one from the list (seed 004 step 3) behind a confirmation in the seed's words on what
 * authorizing gives, with its box to check.
 */
export function PartnershipRequestsPage() {
  const { audience } = useSession();
  if (audience !== 'indirect_provider') return <ReceivedRequests />;
  return <ProviderRequests />;
}

/**
 * The indirect reseller's received partnership requests (seed 004 "Connect with an indirect
 * provider"), by status, paged; Global admins and Admin agents authorize a pending one:
 * the dialog names the provider, says what authorizing gives (the seed's note) and what follows
 * (step 3: each is listed on the other's page), and its button stays off until the box is checked;
 * then `POST /v1/partnership-requests/received/{id}/accept` `{ authorize: true }`.
 */
function ReceivedRequests() {
  const { t } = useTranslation('partner');
  const styles = usePartnerStyles();
  const api = useApi();
  const { me } = useSession();
  const { dateTime: date, country } = useFormat('');
  const [status, setStatus] = useState<ReceivedStatus>('pending');
  const [authorizing, setAuthorizing] = useState<Received>();
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [authorized, setAuthorized] = useState<string>();
  const pager = useSeekPages(status);
  const canManage = managesPartnerships(me?.user.roles);
  const list = useLoad(
    () =>
      ok(
        api.GET('/v1/partnership-requests/received', {
          params: { query: { status, size: 25, ...(pager.seek ? { seek: pager.seek } : {}) } },
        }),
      ),
    `${status}|${pager.seek ?? ''}`,
  );
  const tableLabel = `${t('partner:requests.received')}: ${t(`partner:requests.statusName.${status}`)}`;

  const open = (request: Received) => {
    setError(undefined);
    setAuthorized(undefined);
    setChecked(false);
    setAuthorizing(request);
  };

  async function authorize(request: Received) {
    setBusy(true);
    setError(undefined);
    try {
      const provider = await ok(
        api.POST('/v1/partnership-requests/received/{id}/accept', {
          params: { path: { id: request.id } },
          body: { authorize: true },
        }),
      );
      setAuthorizing(undefined);
      setAuthorized(provider.name);
      list.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={styles.page} aria-labelledby="requests-title">
      <Title1 as="h1" id="requests-title">
        {t('partner:requests.title')}
      </Title1>
      <Title2 as="h2" id="received-title">
        {t('partner:requests.received')}
      </Title2>
      <Text as="p">{t('partner:requests.receivedIntro')}</Text>
      <Text as="p">{t('partner:requests.authorizeNote')}</Text>
      <Text as="p">{t('partner:requests.providerOnly')}</Text>
      <TabList
        aria-label={t('partner:requests.receivedTabs')}
        selectedValue={status}
        onTabSelect={(_, d) => setStatus(d.value as ReceivedStatus)}
      >
        {RECEIVED_STATUSES.map((s) => (
          <Tab key={s} value={s}>
            {t(`partner:requests.statusName.${s}`)}
          </Tab>
        ))}
      </TabList>
      <DoneBar>
        {authorized ? (
          <>
            {t('partner:requests.authorized', { name: authorized })}{' '}
            <RouterLink to={PARTNER_PATHS.indirectProviders}>
              {t('partner:nav.indirectProviders')}
            </RouterLink>
          </>
        ) : null}
      </DoneBar>
      <Loading when={list.loading} />
      <ApiErrorBar error={list.error} />
      {list.data && (
        <>
          <Table aria-label={tableLabel}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('partner:requests.provider')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:requests.mpnId')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:requests.country')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:requests.invitedBy')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:requests.sentTo')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:requests.sentOn')}</TableHeaderCell>
                <TableHeaderCell>
                  {status === 'accepted'
                    ? t('partner:requests.acceptedOn')
                    : t('partner:requests.expires')}
                </TableHeaderCell>
                <TableHeaderCell>{t('partner:requests.body')}</TableHeaderCell>
                {canManage && status === 'pending' && (
                  <TableHeaderCell>{t('partner:requests.actions')}</TableHeaderCell>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data.items.map((request) => (
                <TableRow key={request.id}>
                  <TableCell>{request.provider.name}</TableCell>
                  <TableCell>{request.provider.mpnId}</TableCell>
                  <TableCell>{country(request.provider.country)}</TableCell>
                  <TableCell>{request.inviter.name}</TableCell>
                  <TableCell className={styles.wrap}>{request.email}</TableCell>
                  <TableCell>{date(request.createdAt)}</TableCell>
                  <TableCell>
                    {date(status === 'accepted' ? request.acceptedAt : request.expiresAt)}
                  </TableCell>
                  <TableCell className={styles.wrap}>{request.customMessage ?? ''}</TableCell>
                  {canManage && status === 'pending' && (
                    <TableCell>
                      <Button
                        size="small"
                        appearance="primary"
                        aria-label={`${t('partner:requests.authorize')}: ${request.provider.name}`}
                        onClick={() => open(request)}
                      >
                        {t('partner:requests.authorize')}
                      </Button>
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {list.data.items.length === 0 && (
            <Text as="p">
              {status === 'pending'
                ? t('partner:requests.noneReceived')
                : t('partner:common.empty')}
            </Text>
          )}
          <Pager
            back="first"
            label={tableLabel}
            paging={pager}
            next={list.data.continuationToken}
          />
        </>
      )}
      <ConfirmDialog
        open={authorizing !== undefined}
        title={t('partner:requests.authorizeTitle', { name: authorizing?.provider.name ?? '' })}
        confirmLabel={t('partner:requests.authorize')}
        cancelLabel={t('partner:common.cancel')}
        busy={busy}
        confirmDisabled={!checked}
        onConfirm={() => authorizing && void authorize(authorizing)}
        onCancel={() => setAuthorizing(undefined)}
      >
        <Text as="p">
          {t('partner:requests.authorizeWho', {
            name: authorizing?.provider.name ?? '',
            mpnId: authorizing?.provider.mpnId ?? '',
          })}
        </Text>
        <Text as="p" weight="semibold">
          {t('partner:requests.authorizeNote')}
        </Text>
        <Text as="p">{t('partner:requests.authorizeAfter')}</Text>
        <Checkbox
          checked={checked}
          onChange={(_, d) => setChecked(d.checked === true)}
          label={t('partner:requests.authorizeCheck', {
            name: authorizing?.provider.name ?? '',
          })}
        />
        <ApiErrorBar error={error} />
      </ConfirmDialog>
    </section>
  );
}

function ProviderRequests() {
  const { t, i18n } = useTranslation('partner');
  const styles = usePartnerStyles();
  const api = useApi();
  const { me } = useSession();
  const date = useFormat('').dateTime;
  const [email, setEmail] = useState('');
  const [locale, setLocale] = useState<'en' | 'ja'>(currentLanguage(i18n.resolvedLanguage));
  const [message, setMessage] = useState('');
  const [draft, setDraft] = useState<Sent>();
  const [sentTo, setSentTo] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>('pending');
  const [revoking, setRevoking] = useState<Invitation>();
  const pager = useSeekPages(status);
  const canManage = managesPartnerships(me?.user.roles);
  const list = useLoad(
    () =>
      ok(
        api.GET('/v1/partnership-requests', {
          params: { query: { status, size: 25, ...(pager.seek ? { seek: pager.seek } : {}) } },
        }),
      ),
    `${status}|${pager.seek ?? ''}`,
  );

  async function act(run: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await run();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const review = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      setSentTo(undefined);
      setCopied(false);
      const created = await ok(
        api.POST('/v1/partnership-requests', {
          body: {
            email: email.trim(),
            locale,
            draftOnly: true,
            ...(message.trim() ? { customMessage: message.trim() } : {}),
          },
        }),
      );
      setDraft(created);
      list.reload();
    });
  };

  const send = (invitation: { id: string; email: string }, fromDraft: boolean) =>
    act(async () => {
      const resent = await ok(
        api.POST('/v1/partnership-requests/{id}/resend', {
          params: { path: { id: invitation.id } },
          body: { draftOnly: false },
        }),
      );
      if (fromDraft) {
        setDraft(resent);
        setSentTo(resent.email);
      } else {
        setNotice(t('partner:requests.resentTo', { email: resent.email }));
      }
      list.reload();
    });

  const revoke = (invitation: Invitation) =>
    act(async () => {
      await ok(
        api.DELETE('/v1/partnership-requests/{id}', {
          params: { path: { id: invitation.id } },
        }),
      );
      setRevoking(undefined);
      setNotice(t('partner:requests.revoked', { email: invitation.email }));
      list.reload();
    });

  const copy = async () => {
    if (!draft) return;
    try {
      await navigator.clipboard.writeText(`${draft.draft.subject}\n\n${draft.draft.text}`);
      setCopied(true);
    } catch {
      setError(new Error(t('partner:common.copyFailed')));
    }
  };

  const mailto = draft
    ? `mailto:${encodeURIComponent(draft.email)}?subject=${encodeURIComponent(
        draft.draft.subject,
      )}&body=${encodeURIComponent(draft.draft.text)}`
    : '';

  return (
    <section className={styles.page} aria-labelledby="requests-title">
      <Title1 as="h1" id="requests-title">
        {t('partner:requests.title')}
      </Title1>
      <Text as="p">{t('partner:requests.intro')}</Text>
      {canManage && !draft && (
        <form className={styles.form} onSubmit={review} aria-labelledby="new-request-title">
          <Title2 as="h2" id="new-request-title">
            {t('partner:requests.new')}
          </Title2>
          <Field label={t('partner:requests.email')} required>
            <Input type="email" value={email} onChange={(_, d) => setEmail(d.value)} />
          </Field>
          <Field label={t('partner:requests.language')}>
            <Select value={locale} onChange={(_, d) => setLocale(d.value === 'ja' ? 'ja' : 'en')}>
              <option value="en">English</option>
              <option value="ja">日本語</option>
            </Select>
          </Field>
          <Field label={t('partner:requests.message')} hint={t('partner:requests.messageHint')}>
            <Textarea value={message} onChange={(_, d) => setMessage(d.value)} maxLength={1000} />
          </Field>
          <ApiErrorBar error={error} />
          <div>
            <Button appearance="primary" type="submit" disabled={busy}>
              {t('partner:requests.preview')}
            </Button>
          </div>
        </form>
      )}
      {draft && (
        <section className={styles.form} aria-labelledby="draft-title">
          <Title2 as="h2" id="draft-title">
            {t('partner:requests.draftTitle')}
          </Title2>
          <Text as="p">{t('partner:requests.draftIntro')}</Text>
          <dl className={styles.facts}>
            <dt className={styles.term}>{t('partner:requests.sentTo')}</dt>
            <dd className={styles.detail}>{draft.email}</dd>
            <dt className={styles.term}>{t('partner:requests.subject')}</dt>
            <dd className={styles.detail}>{draft.draft.subject}</dd>
            <dt className={styles.term}>{t('partner:requests.link')}</dt>
            <dd className={styles.detail}>
              <code>{draft.draft.link}</code>
            </dd>
          </dl>
          <Title2 as="h3">{t('partner:requests.body')}</Title2>
          <pre className={styles.pre}>{draft.draft.text}</pre>
          <ApiErrorBar error={error} />
          <DoneBar>
            {sentTo
              ? t('partner:requests.sent', { email: sentTo })
              : copied
                ? t('partner:common.copied')
                : null}
          </DoneBar>
          <div className={styles.row}>
            {!sentTo && (
              <Button appearance="primary" disabled={busy} onClick={() => void send(draft, true)}>
                {t('partner:requests.send')}
              </Button>
            )}
            <Link href={mailto}>{t('partner:requests.openInEmail')}</Link>
            <Button onClick={() => void copy()}>{t('partner:common.copy')}</Button>
            <Button
              onClick={() => {
                setDraft(undefined);
                setEmail('');
                setMessage('');
                setSentTo(undefined);
                setCopied(false);
                setError(undefined);
              }}
            >
              {t('partner:common.done')}
            </Button>
          </div>
        </section>
      )}
      <Text as="p">{t('partner:requests.afterAccept')}</Text>
      <ul>
        <li>{t('partner:requests.canAddCustomers')}</li>
        <li>{t('partner:requests.canSubmitOrders')}</li>
        <li>{t('partner:requests.canAssociate')}</li>
        <li>{t('partner:requests.canSupport')}</li>
      </ul>
      <TabList
        aria-label={t('partner:requests.tabs')}
        selectedValue={status}
        onTabSelect={(_, d) => setStatus(d.value as Status)}
      >
        {STATUSES.map((s) => (
          <Tab key={s} value={s}>
            {t(`partner:requests.statusName.${s}`)}
          </Tab>
        ))}
      </TabList>
      {!draft && <DoneBar>{notice}</DoneBar>}
      {!draft && !revoking && <ApiErrorBar error={error} />}
      <Loading when={list.loading} />
      <ApiErrorBar error={list.error} />
      {list.data && (
        <>
          <Table aria-label={t(`partner:requests.statusName.${status}`)}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('partner:requests.sentTo')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:requests.sentOn')}</TableHeaderCell>
                <TableHeaderCell>
                  {status === 'accepted'
                    ? t('partner:requests.acceptedOn')
                    : t('partner:requests.expires')}
                </TableHeaderCell>
                <TableHeaderCell>{t('partner:requests.invitedBy')}</TableHeaderCell>
                {canManage && <TableHeaderCell>{t('partner:requests.actions')}</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data.items.map((invitation) => (
                <TableRow key={invitation.id}>
                  <TableCell className={styles.wrap}>{invitation.email}</TableCell>
                  <TableCell>{date(invitation.createdAt)}</TableCell>
                  <TableCell>
                    {date(status === 'accepted' ? invitation.acceptedAt : invitation.expiresAt)}
                  </TableCell>
                  <TableCell>{invitation.inviter.name}</TableCell>
                  {canManage && (
                    <TableCell>
                      {(status === 'pending' || status === 'expired') && (
                        <div className={styles.row}>
                          <Button
                            size="small"
                            aria-label={`${t('partner:requests.resend')}: ${invitation.email}`}
                            disabled={busy}
                            onClick={() => void send(invitation, false)}
                          >
                            {t('partner:requests.resend')}
                          </Button>
                          <Button
                            size="small"
                            aria-label={`${t('partner:requests.revoke')}: ${invitation.email}`}
                            onClick={() => setRevoking(invitation)}
                          >
                            {t('partner:requests.revoke')}
                          </Button>
                        </div>
                      )}
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {list.data.items.length === 0 && <Text as="p">{t('partner:common.empty')}</Text>}
          <Pager
            back="first"
            label={t(`partner:requests.statusName.${status}`)}
            paging={pager}
            next={list.data.continuationToken}
          />
        </>
      )}
      <ConfirmDialog
        open={revoking !== undefined}
        title={t('partner:requests.revokeTitle')}
        confirmLabel={t('partner:common.yes')}
        cancelLabel={t('partner:common.no')}
        busy={busy}
        onConfirm={() => revoking && void revoke(revoking)}
        onCancel={() => setRevoking(undefined)}
      >
        <Text as="p">{t('partner:requests.revokeBody', { email: revoking?.email ?? '' })}</Text>
        <ApiErrorBar error={error} />
      </ConfirmDialog>
    </section>
  );
}
