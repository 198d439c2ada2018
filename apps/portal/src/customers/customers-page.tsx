import {
  Badge,
  Button,
  Field,
  Input,
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
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useSession } from '../api/session-context';
import { ok } from './api-result';
import { ErrorBar } from './error-bar';
import { loadChannelPartners } from './partners';
import { RouterLink } from '../app/router-link';
import { RouterButton } from './router-button';
import { useCustomersStyles } from './styles';
import { useLoad } from './use-load';
import { useSeekPages } from './use-seek-pages';

/** Customers shown per page. */
const PAGE_SIZE = 20;

type SearchField = 'CompanyName' | 'Domain' | 'Partner';

/**
 * Customers (seeds 000, 002, 003): the partner's customer list, searched by company name or
 * domain (prefix, Partner Center's `starts_with`), filtered by indirect reseller (an indirect
 * provider) or indirect provider (an indirect reseller), paged with the API's continuation token.
 * The API takes one filter at a time (`GET /v1/customers?filter={Field,Value,Operator}`), so the
 * page offers one: a text search or a partner.
 */
export function CustomersPage() {
  const { t } = useTranslation('customers');
  const api = useApi();
  const styles = useCustomersStyles();
  const { audience } = useSession();
  const isProvider = audience === 'indirect_provider';
  const paging = useSeekPages();
  const [field, setField] = useState<SearchField>('CompanyName');
  const [text, setText] = useState('');
  const [partnerId, setPartnerId] = useState('');
  const [filter, setFilter] = useState<{ Field: string; Value: string } | undefined>();

  const partners = useLoad(
    () => loadChannelPartners(api, isProvider ? 'resellers' : 'providers'),
    `partners:${audience}`,
  );
  const list = useLoad(
    () =>
      ok(
        api.GET('/v1/customers', {
          params: {
            query: {
              size: PAGE_SIZE,
              ...(paging.seek ? { seek: paging.seek } : {}),
              ...(filter ? { filter: JSON.stringify({ ...filter, Operator: 'starts_with' }) } : {}),
            },
          },
        }),
      ),
    `${paging.seek ?? ''}|${JSON.stringify(filter ?? null)}`,
  );
  const partnerName = (id: string | null) =>
    id ? (partners.data?.find((p) => p.id === id)?.name ?? id) : '—';

  const search = (e: FormEvent) => {
    e.preventDefault();
    if (field === 'Partner') {
      setFilter(
        partnerId
          ? {
              Field: isProvider ? 'IndirectReseller' : 'IndirectCloudSolutionProvider',
              Value: partnerId,
            }
          : undefined,
      );
    } else {
      setFilter(text.trim() ? { Field: field, Value: text.trim() } : undefined);
    }
    paging.reset();
  };
  const clear = () => {
    setText('');
    setPartnerId('');
    setFilter(undefined);
    paging.reset();
  };

  return (
    <section aria-labelledby="customers-title">
      <Title1 as="h1" id="customers-title">
        {t('list.title')}
      </Title1>
      <div role="group" aria-label={t('list.actions')} className={styles.row}>
        <RouterButton to="/customers/request" appearance="primary">
          {t('list.requestRelationship')}
        </RouterButton>
        <RouterButton to="/customers/new">{t('list.addCustomer')}</RouterButton>
        <RouterButton to="/customers/invitations">{t('list.invitations')}</RouterButton>
        <RouterButton to="/delegated-admin-relationships">{t('list.gdap')}</RouterButton>
      </div>

      <form
        role="search"
        aria-label={t('list.searchLabel')}
        className={styles.row}
        onSubmit={search}
      >
        <Field label={t('list.searchBy')}>
          <Select value={field} onChange={(_, d) => setField(d.value as SearchField)}>
            <option value="CompanyName">{t('list.byCompanyName')}</option>
            <option value="Domain">{t('list.byDomain')}</option>
            <option value="Partner">
              {isProvider ? t('list.byIndirectReseller') : t('list.byIndirectProvider')}
            </option>
          </Select>
        </Field>
        {field === 'Partner' ? (
          <Field label={isProvider ? t('list.indirectReseller') : t('list.indirectProvider')}>
            <Select value={partnerId} onChange={(_, d) => setPartnerId(d.value)}>
              <option value="">{t('list.anyPartner')}</option>
              {(partners.data ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : (
          <Field label={field === 'Domain' ? t('list.domainStartsWith') : t('list.nameStartsWith')}>
            <Input value={text} onChange={(_, d) => setText(d.value)} />
          </Field>
        )}
        <div className={styles.row}>
          <Button type="submit" appearance="primary">
            {t('list.search')}
          </Button>
          <Button type="button" onClick={clear}>
            {t('list.clear')}
          </Button>
        </div>
      </form>

      <ErrorBar error={list.error ?? partners.error} />
      {list.loading ? <Spinner label={t('loading')} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <Text as="p">{filter ? t('list.noMatch') : t('list.empty')}</Text>
        ) : (
          <Table aria-label={t('list.tableLabel')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('fields.companyName')}</TableHeaderCell>
                <TableHeaderCell>{t('fields.domain')}</TableHeaderCell>
                <TableHeaderCell>{t('fields.country')}</TableHeaderCell>
                <TableHeaderCell>{t('fields.delegatedAdmin')}</TableHeaderCell>
                {isProvider ? (
                  <TableHeaderCell>{t('fields.associatedReseller')}</TableHeaderCell>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data.items.map((c) => (
                <TableRow key={c.id}>
                  <TableCell>
                    <RouterLink to={`/customers/${c.id}`}>
                      {c.companyProfile.companyName}
                    </RouterLink>
                  </TableCell>
                  <TableCell>{c.companyProfile.domain}</TableCell>
                  <TableCell>{c.companyProfile.country}</TableCell>
                  <TableCell>
                    <Badge
                      appearance="tint"
                      color={c.allowDelegatedAccess ? 'success' : 'informative'}
                    >
                      {c.allowDelegatedAccess
                        ? t('delegatedAdmin.granted')
                        : t('delegatedAdmin.none')}
                    </Badge>
                  </TableCell>
                  {isProvider ? <TableCell>{partnerName(c.associatedPartnerId)}</TableCell> : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )
      ) : null}
      <nav aria-label={t('paging.label')}>
        <div className={styles.row}>
          <Button disabled={!paging.hasPrevious} onClick={paging.previous}>
            {t('paging.previous')}
          </Button>
          <Text>{t('paging.page', { page: paging.page })}</Text>
          <Button
            disabled={!list.data?.continuationToken}
            onClick={() => list.data?.continuationToken && paging.next(list.data.continuationToken)}
          >
            {t('paging.next')}
          </Button>
        </div>
      </nav>
    </section>
  );
}
