import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
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
import { RouterLink } from '../app/router-link';
import { ApiErrorBar } from '../app/api-error-bar';
import { DoneBar, Loading, managesPartnerships, usePartnerStyles } from './partner-ui';
import { Pager } from '../app/pager';
import { ok } from '../app/api-result';
import { useLoad } from '../app/use-load';
import { useSeekPages } from '../app/use-seek-pages';
import { useFormat } from '../app/format';
import { PARTNER_PATHS } from './partner-paths';

interface Partner {
  id: string;
  name: string;
  mpnId: string;
  location: string;
  establishedAt: string;
}

/**
 * A provider's **Indirect resellers** (seed 002) or a reseller's **Indirect providers** (seed
 * 004): `GET /v1/relationships?relationship_type=…`, filtered by name, paged; **Remove
 * partnership** asks for confirmation in the seed's words (customers stay, delegated admin
 * privileges unchanged, no notice is sent) and then `DELETE /v1/relationships/{id}`
 * `{ confirm: true }`.
 */
function PartnershipsPage({ side }: { side: 'resellers' | 'providers' }) {
  const { t } = useTranslation('partner');
  const styles = usePartnerStyles();
  const api = useApi();
  const { me } = useSession();
  const date = useFormat('').dateTime;
  const [filterInput, setFilterInput] = useState('');
  const [filter, setFilter] = useState('');
  const pager = useSeekPages(filter);
  const [removing, setRemoving] = useState<Partner>();
  const [removed, setRemoved] = useState<string>();
  const [error, setError] = useState<unknown>();
  const type = side === 'resellers' ? 'IsIndirectCloudSolutionProviderOf' : 'IsIndirectResellerOf';
  const list = useLoad(
    () =>
      ok(
        api.GET('/v1/relationships', {
          params: {
            query: {
              relationship_type: type,
              size: 50,
              ...(filter ? { name: filter } : {}),
              ...(pager.seek ? { seek: pager.seek } : {}),
            },
          },
        }),
      ),
    `${type}|${filter}|${pager.seek ?? ''}`,
  );
  const canManage = managesPartnerships(me?.user.roles);
  const title =
    side === 'resellers'
      ? t('partner:partnerships.resellersTitle')
      : t('partner:partnerships.providersTitle');

  async function remove(partner: Partner) {
    setError(undefined);
    try {
      await ok(
        api.DELETE('/v1/relationships/{partnerTenantId}', {
          params: { path: { partnerTenantId: partner.id } },
          body: { confirm: true },
        }),
      );
      setRemoving(undefined);
      setRemoved(partner.name);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section className={styles.page} aria-labelledby="partnerships-title">
      <Title1 as="h1" id="partnerships-title">
        {title}
      </Title1>
      <Text as="p">
        {side === 'resellers'
          ? t('partner:partnerships.resellersIntro')
          : t('partner:partnerships.providersIntro')}
      </Text>
      <div className={styles.row}>
        {side === 'resellers' ? (
          <RouterLink to={PARTNER_PATHS.partnershipRequests}>
            {t('partner:requests.new')}
          </RouterLink>
        ) : (
          <RouterLink to={PARTNER_PATHS.findProvider}>{t('partner:nav.findProvider')}</RouterLink>
        )}
      </div>
      <form
        className={styles.row}
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(filterInput.trim());
        }}
      >
        <Field label={t('partner:partnerships.filter')}>
          <Input value={filterInput} onChange={(_, d) => setFilterInput(d.value)} />
        </Field>
        <Button type="submit">{t('partner:common.search')}</Button>
      </form>
      <DoneBar>{removed ? t('partner:partnerships.removed', { name: removed }) : null}</DoneBar>
      <Loading when={list.loading} />
      <ApiErrorBar error={list.error} />
      {list.data && (
        <>
          <Table aria-label={title}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('partner:partnerships.name')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:partnerships.mpnId')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:partnerships.location')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:partnerships.since')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:partnerships.actions')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data.items.map((partner) => (
                <TableRow key={partner.id}>
                  <TableCell>{partner.name}</TableCell>
                  <TableCell>{partner.mpnId}</TableCell>
                  <TableCell>{partner.location}</TableCell>
                  <TableCell>{date(partner.establishedAt)}</TableCell>
                  <TableCell>
                    <div className={styles.row}>
                      {side === 'resellers' ? (
                        <RouterLink
                          to={`/customers/new?reseller=${encodeURIComponent(partner.id)}`}
                          aria-label={`${t('partner:partnerships.addCustomer')}: ${partner.name}`}
                        >
                          {t('partner:partnerships.addCustomer')}
                        </RouterLink>
                      ) : (
                        <RouterLink
                          to={`/customers/request?provider=${encodeURIComponent(partner.id)}`}
                          aria-label={`${t('partner:partnerships.inviteCustomers')}: ${partner.name}`}
                        >
                          {t('partner:partnerships.inviteCustomers')}
                        </RouterLink>
                      )}
                      {canManage && (
                        <Button
                          aria-label={`${t('partner:partnerships.remove')}: ${partner.name}`}
                          onClick={() => {
                            setError(undefined);
                            setRemoved(undefined);
                            setRemoving(partner);
                          }}
                        >
                          {t('partner:partnerships.remove')}
                        </Button>
                      )}
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {list.data.items.length === 0 && (
            <Text as="p">
              {side === 'resellers'
                ? t('partner:partnerships.emptyResellers')
                : t('partner:partnerships.emptyProviders')}
            </Text>
          )}
          <Pager back="first" label={title} paging={pager} next={list.data.continuationToken} />
        </>
      )}
      <Dialog
        inertTrapFocus
        open={removing !== undefined}
        onOpenChange={(_, data) => {
          if (!data.open) setRemoving(undefined);
        }}
      >
        <DialogSurface>
          <DialogBody>
            <DialogTitle>
              {t('partner:partnerships.removeTitle', { name: removing?.name ?? '' })}
            </DialogTitle>
            <DialogContent className={styles.page}>
              <Text as="p" weight="semibold">
                {side === 'resellers'
                  ? t('partner:partnerships.removeResellerKeeps')
                  : t('partner:partnerships.removeProviderKeeps')}
              </Text>
              <Text as="p">{t('partner:partnerships.removeGoodFaith')}</Text>
              <Text as="p">{t('partner:partnerships.removeNoNotice')}</Text>
              <ApiErrorBar error={error} />
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => removing && void remove(removing)}>
                {t('partner:common.yes')}
              </Button>
              <Button onClick={() => setRemoving(undefined)}>{t('partner:common.no')}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}

/** Seed 002: the indirect provider's **Indirect resellers** page. */
export function IndirectResellersPage() {
  return <PartnershipsPage side="resellers" />;
}

/** Seed 004: the indirect reseller's **Indirect providers** page. */
export function IndirectProvidersPage() {
  return <PartnershipsPage side="providers" />;
}
