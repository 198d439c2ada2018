import {
  Badge,
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title1,
  Title2,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { ApiClient } from '@app/api-client';
import { useApi, useSession } from '../api/session-context';
import { ok } from '../app/api-result';
import type { DelegatedAdminRelationship, Subscription } from './api-types';
import { ApiErrorBar } from '../app/api-error-bar';
import { ConfirmDialog } from '../app/confirm-dialog';
import { useFormat } from '../app/format';
import { loadChannelPartners } from './partners';
import { RouterButton, RouterLink } from '../app/router-link';
import { useCustomersStyles } from './styles';
import { useLoad } from '../app/use-load';

async function allSubscriptions(api: ApiClient, customerId: string): Promise<Subscription[]> {
  const all: Subscription[] = [];
  let seek: string | undefined;
  do {
    const page = await ok(
      api.GET('/v1/customers/{customerId}/subscriptions', {
        params: { path: { customerId }, query: { size: 500, ...(seek ? { seek } : {}) } },
      }),
    );
    all.push(...page.items);
    seek = page.continuationToken;
  } while (seek);
  return all;
}

/** The partner's delegated admin relationships (GDAP) naming this customer. */
async function gdapOf(api: ApiClient, customerId: string): Promise<DelegatedAdminRelationship[]> {
  const page = await ok(
    api.GET('/v1/tenantRelationships/delegatedAdminRelationships', {
      params: { query: { $top: 300 } },
    }),
  );
  return page.value.filter((r) => r.customer?.tenantId === customerId);
}

/**
 * A customer's page (seeds 000, 002): its account, its indirect resellers, its subscriptions with
 * their reseller of record and designated support contact, the delegated admin state (DAP and
 * GDAP), and "Remove customer relationship" behind the seed's confirmation.
 */
export function CustomerPage() {
  const { t } = useTranslation('customers');
  const api = useApi();
  const styles = useCustomersStyles();
  const { me, audience } = useSession();
  const format = useFormat();
  const { customerId = '' } = useParams();
  const [confirm, setConfirm] = useState<'relationship' | 'delegatedAdmin' | null>(null);
  const [actionError, setActionError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [removed, setRemoved] = useState(false);

  const customer = useLoad(
    () => ok(api.GET('/v1/customers/{id}', { params: { path: { id: customerId } } })),
    customerId,
  );
  const subscriptions = useLoad(() => allSubscriptions(api, customerId), customerId);
  const resellers = useLoad(
    () =>
      audience !== 'indirect_provider'
        ? Promise.resolve([])
        : ok(
            api.GET('/v1/customers/{id}/relationships', {
              params: { path: { id: customerId }, query: { size: 500 } },
            }),
          ).then((page) => page.items),
    `${customerId}:${audience}`,
  );
  const partners = useLoad(
    () => loadChannelPartners(api, audience === 'indirect_provider' ? 'resellers' : 'providers'),
    `partners:${audience}`,
  );
  const gdap = useLoad(() => gdapOf(api, customerId), customerId);

  const partnerByMpn = (mpnId: string | undefined) => {
    if (!mpnId) return '—';
    if (mpnId === me?.tenant.partner?.mpnId) return `${me.tenant.name} (${mpnId})`;
    const partner = partners.data?.find((p) => p.mpnId === mpnId);
    return partner ? `${partner.name} (${mpnId})` : mpnId;
  };

  const remove = async () => {
    setBusy(true);
    setActionError(undefined);
    try {
      if (confirm === 'relationship') {
        await ok(
          api.PATCH('/v1/customers/{id}', {
            params: { path: { id: customerId } },
            body: { relationshipToPartner: 'none' },
          }),
        );
        setConfirm(null);
        setRemoved(true);
        return;
      }
      await ok(
        api.PATCH('/v1/customers/{id}', {
          params: { path: { id: customerId } },
          body: { allowDelegatedAccess: false },
        }),
      );
      setConfirm(null);
      setNotice(t('customers:customer.delegatedAdminRemoved'));
      customer.reload();
    } catch (error) {
      setActionError(error);
    } finally {
      setBusy(false);
    }
  };

  if (customer.error)
    return <ApiErrorBar title={t('customers:errors.title')} error={customer.error} />;
  if (!customer.data) return <Spinner label={t('customers:loading')} />;
  const c = customer.data;
  return (
    <article aria-labelledby="customer-title">
      <Title1 as="h1" id="customer-title">
        {c.companyProfile.companyName}
      </Title1>
      {removed ? (
        <>
          <MessageBar intent="success">
            <MessageBarBody>
              {t('customers:customer.removed', { name: c.companyProfile.companyName })}
            </MessageBarBody>
          </MessageBar>
          <p>{t('customers:customer.removeRelationshipEffect')}</p>
          <RouterLink to="/customers">{t('customers:customer.backToList')}</RouterLink>
        </>
      ) : null}
      {!removed && notice ? (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div role="group" aria-label={t('customers:customer.actions')} className={styles.row}>
        <RouterButton to={`/customers/${customerId}/subscriptions/new`} appearance="primary">
          {t('customers:customer.addSubscription')}
        </RouterButton>
        {c.allowDelegatedAccess ? (
          <Button onClick={() => setConfirm('delegatedAdmin')}>
            {t('customers:customer.removeDelegatedAdmin')}
          </Button>
        ) : null}
        <Button onClick={() => setConfirm('relationship')}>
          {t('customers:customer.removeRelationship')}
        </Button>
      </div>

      <section aria-labelledby="account-title">
        <Title2 as="h2" id="account-title">
          {t('customers:customer.account')}
        </Title2>
        <dl>
          <dt>{t('customers:fields.domain')}</dt>
          <dd>{c.companyProfile.domain}</dd>
          <dt>{t('customers:fields.country')}</dt>
          <dd>{c.billingProfile.defaultAddress.country}</dd>
          <dt>{t('customers:fields.relationship')}</dt>
          <dd>{t(`customers:relationship.${c.relationshipToPartner}`)}</dd>
          <dt>{t('customers:fields.delegatedAdmin')}</dt>
          <dd>
            <Badge appearance="tint" color={c.allowDelegatedAccess ? 'success' : 'informative'}>
              {c.allowDelegatedAccess
                ? t('customers:delegatedAdmin.granted')
                : t('customers:delegatedAdmin.none')}
            </Badge>
          </dd>
          {c.billingProfile.email ? (
            <>
              <dt>{t('customers:fields.billingContact')}</dt>
              <dd>
                {[c.billingProfile.firstName, c.billingProfile.lastName].filter(Boolean).join(' ')}{' '}
                ({c.billingProfile.email})
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      {audience === 'indirect_provider' ? (
        <section aria-labelledby="resellers-title">
          <Title2 as="h2" id="resellers-title">
            {t('customers:customer.partners')}
          </Title2>
          <ApiErrorBar title={t('customers:errors.title')} error={resellers.error} />
          {resellers.data && resellers.data.length > 0 ? (
            <ul>
              {resellers.data.map((r) => (
                <li key={r.id}>
                  {r.name}
                  {r.mpnId ? ` (${t('customers:fields.partnerId')} ${r.mpnId})` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <Text as="p">{t('customers:customer.noPartners')}</Text>
          )}
        </section>
      ) : null}

      <section aria-labelledby="subscriptions-title">
        <Title2 as="h2" id="subscriptions-title">
          {t('customers:customer.subscriptions')}
        </Title2>
        <ApiErrorBar
          title={t('customers:errors.title')}
          error={subscriptions.error ?? partners.error}
        />
        {subscriptions.data && subscriptions.data.length > 0 ? (
          <Table aria-label={t('customers:customer.subscriptions')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('customers:fields.subscription')}</TableHeaderCell>
                <TableHeaderCell>{t('customers:fields.quantity')}</TableHeaderCell>
                <TableHeaderCell>{t('customers:fields.status')}</TableHeaderCell>
                <TableHeaderCell>{t('customers:fields.resellerOfRecord')}</TableHeaderCell>
                <TableHeaderCell>{t('customers:fields.supportContact')}</TableHeaderCell>
                <TableHeaderCell>{t('customers:fields.created')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {subscriptions.data.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>{s.friendlyName}</TableCell>
                  <TableCell>{format.number(s.quantity)}</TableCell>
                  <TableCell>{t(`customers:subscriptionStatus.${s.status}`)}</TableCell>
                  <TableCell>{partnerByMpn(s.partnerId)}</TableCell>
                  <TableCell>
                    {s.designatedSupportContact
                      ? s.designatedSupportContact.name
                      : t('customers:customer.supportDefault')}
                  </TableCell>
                  <TableCell>{format.date(s.creationDate)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : subscriptions.data ? (
          <Text as="p">{t('customers:customer.noSubscriptions')}</Text>
        ) : null}
      </section>

      <section aria-labelledby="gdap-title">
        <Title2 as="h2" id="gdap-title">
          {t('customers:customer.gdap')}
        </Title2>
        <ApiErrorBar title={t('customers:errors.title')} error={gdap.error} />
        {gdap.data && gdap.data.length > 0 ? (
          <ul>
            {gdap.data.map((r) => (
              <li key={r.id}>
                <RouterLink to={`/delegated-admin-relationships/${r.id}`}>
                  {r.displayName}
                </RouterLink>
                {' — '}
                {t(`customers:gdap.status.${r.status}`)}
              </li>
            ))}
          </ul>
        ) : gdap.data ? (
          <Text as="p">{t('customers:customer.noGdap')}</Text>
        ) : null}
      </section>

      <ConfirmDialog
        open={confirm !== null}
        title={
          confirm === 'relationship'
            ? t('customers:customer.removeRelationshipTitle', {
                name: c.companyProfile.companyName,
              })
            : t('customers:customer.removeDelegatedAdminTitle', {
                name: c.companyProfile.companyName,
              })
        }
        confirmLabel={
          confirm === 'relationship'
            ? t('customers:customer.removeRelationshipConfirm')
            : t('customers:customer.removeDelegatedAdminConfirm')
        }
        cancelLabel={t('customers:cancel')}
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setConfirm(null)}
      >
        {confirm === 'relationship' ? (
          <>
            <p>{t('customers:customer.removeRelationshipEffect')}</p>
            <p>{t('customers:customer.removeRelationshipDap')}</p>
            <p>{t('customers:customer.removeRelationshipGoodFaith')}</p>
            <p>{t('customers:customer.removeRelationshipNotice')}</p>
          </>
        ) : (
          <p>{t('customers:customer.removeDelegatedAdminEffect')}</p>
        )}
        <ApiErrorBar title={t('customers:errors.title')} error={actionError} />
      </ConfirmDialog>
    </article>
  );
}
