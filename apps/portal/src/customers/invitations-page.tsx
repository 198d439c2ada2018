import {
  Badge,
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title1,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useSession } from '../api/session-context';
import { ConfirmDialog } from '../app/confirm-dialog';
import { ok } from '../app/api-result';
import type { RelationshipRequest } from './api-types';
import { Pager } from '../app/pager';
import { ApiErrorBar } from '../app/api-error-bar';
import { useFormat } from '../app/format';
import { loadChannelPartners } from './partners';
import { RouterButton } from '../app/router-link';
import { useCustomersStyles } from './styles';
import { useLoad } from '../app/use-load';
import { useSeekPages } from '../app/use-seek-pages';

const STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
type Status = (typeof STATUSES)[number];

/**
 * Pending invitations: the partner's reseller relationship requests (newest first, by status),
 * with Resend (a new email with a new link; the old link no longer works) and Revoke (the link
 * stops working; behind a confirmation).
 */
export function InvitationsPage() {
  const { t } = useTranslation('customers');
  const api = useApi();
  const styles = useCustomersStyles();
  const { audience } = useSession();
  const format = useFormat();
  const paging = useSeekPages();
  const [status, setStatus] = useState<Status | ''>('pending');
  const [revoking, setRevoking] = useState<RelationshipRequest>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const list = useLoad(
    () =>
      ok(
        api.GET('/v1/customers/relationship-requests', {
          params: {
            query: {
              size: 20,
              ...(status ? { status } : {}),
              ...(paging.seek ? { seek: paging.seek } : {}),
            },
          },
        }),
      ),
    `${status}|${paging.seek ?? ''}`,
  );
  const providers = useLoad(
    () =>
      audience === 'indirect_reseller'
        ? loadChannelPartners(api, 'providers')
        : Promise.resolve([]),
    `providers:${audience}`,
  );
  const providerName = (id: string | null) =>
    id ? (providers.data?.find((p) => p.id === id)?.name ?? id) : '—';

  const resend = async (request: RelationshipRequest) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await ok(
        api.POST('/v1/customers/relationship-requests/{id}/resend', {
          params: { path: { id: request.id } },
          body: { draftOnly: false },
        }),
      );
      setNotice(t('customers:invitations.resent', { email: request.email }));
      list.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await ok(
        api.DELETE('/v1/customers/relationship-requests/{id}', {
          params: { path: { id: revoking.id } },
        }),
      );
      setNotice(t('customers:invitations.revoked', { email: revoking.email }));
      setRevoking(undefined);
      list.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="invitations-title">
      <Title1 as="h1" id="invitations-title">
        {t('customers:invitations.title')}
      </Title1>
      <div role="group" aria-label={t('customers:list.actions')} className={styles.row}>
        <RouterButton to="/customers/request" appearance="primary">
          {t('customers:list.requestRelationship')}
        </RouterButton>
      </div>
      <Field label={t('customers:fields.status')}>
        <Select
          value={status}
          onChange={(_, d) => {
            setStatus(d.value as Status | '');
            paging.reset();
          }}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`customers:invitationStatus.${s}`)}
            </option>
          ))}
          <option value="">{t('customers:invitations.all')}</option>
        </Select>
      </Field>
      {notice ? (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      ) : null}
      <ApiErrorBar
        title={t('customers:errors.title')}
        error={revoking ? undefined : (error ?? list.error)}
      />
      {list.loading ? <Spinner label={t('customers:loading')} /> : null}
      {list.data && list.data.items.length === 0 ? (
        <Text as="p">{t('customers:invitations.empty')}</Text>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <Table aria-label={t('customers:invitations.title')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('customers:fields.email')}</TableHeaderCell>
              <TableHeaderCell>{t('customers:fields.delegatedAdmin')}</TableHeaderCell>
              <TableHeaderCell>{t('customers:fields.jointProvider')}</TableHeaderCell>
              <TableHeaderCell>{t('customers:fields.sentBy')}</TableHeaderCell>
              <TableHeaderCell>{t('customers:fields.created')}</TableHeaderCell>
              <TableHeaderCell>{t('customers:fields.expires')}</TableHeaderCell>
              <TableHeaderCell>{t('customers:fields.status')}</TableHeaderCell>
              <TableHeaderCell>{t('customers:fields.actions')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.data.items.map((r) => (
              <TableRow key={r.id}>
                <TableCell>{r.email}</TableCell>
                <TableCell>{r.delegatedAdmin ? t('customers:yes') : t('customers:no')}</TableCell>
                <TableCell>{providerName(r.indirectProviderId)}</TableCell>
                <TableCell>{r.inviter.name}</TableCell>
                <TableCell>{format.dateTime(r.createdAt)}</TableCell>
                <TableCell>{format.dateTime(r.expiresAt)}</TableCell>
                <TableCell>
                  <Badge appearance="tint">{t(`customers:invitationStatus.${r.status}`)}</Badge>
                </TableCell>
                <TableCell>
                  {r.status === 'pending' ? (
                    <div className={styles.row}>
                      <Button
                        disabled={busy}
                        aria-label={t('customers:invitations.resendTo', { email: r.email })}
                        onClick={() => void resend(r)}
                      >
                        {t('customers:invitations.resend')}
                      </Button>
                      <Button
                        disabled={busy}
                        aria-label={t('customers:invitations.revokeTo', { email: r.email })}
                        onClick={() => setRevoking(r)}
                      >
                        {t('customers:invitations.revoke')}
                      </Button>
                    </div>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      <Pager
        back="previous"
        label={t('customers:paging.label')}
        paging={paging}
        next={list.data?.continuationToken}
      />
      <ConfirmDialog
        open={revoking !== undefined}
        title={t('customers:invitations.revokeTitle', { email: revoking?.email })}
        confirmLabel={t('customers:invitations.revoke')}
        cancelLabel={t('customers:cancel')}
        busy={busy}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(undefined)}
      >
        <p>{t('customers:invitations.revokeEffect')}</p>
        <ApiErrorBar title={t('customers:errors.title')} error={error} />
      </ConfirmDialog>
    </section>
  );
}
