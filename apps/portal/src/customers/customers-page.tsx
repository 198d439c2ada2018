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
import { ok } from '../app/api-result';
import { Pager } from '../app/pager';
import { ApiErrorBar } from '../app/api-error-bar';
import { loadChannelPartners } from './partners';
import { RouterButton, RouterLink } from '../app/router-link';
import { useCustomersStyles } from './styles';
import { useLoad } from '../app/use-load';
import { useSeekPages } from '../app/use-seek-pages';

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
        {t('customers:list.title')}
      </Title1>
      <div role="group" aria-label={t('customers:list.actions')} className={styles.row}>
        <RouterButton to="/customers/request" appearance="primary">
          {t('customers:list.requestRelationship')}
        </RouterButton>
        <RouterButton to="/customers/new">{t('customers:list.addCustomer')}</RouterButton>
        <RouterButton to="/customers/invitations">{t('customers:list.invitations')}</RouterButton>
        <RouterButton to="/delegated-admin-relationships">{t('customers:list.gdap')}</RouterButton>
      </div>

      <form
        role="search"
        aria-label={t('customers:list.searchLabel')}
        className={styles.row}
        onSubmit={search}
      >
        <Field label={t('customers:list.searchBy')}>
          <Select value={field} onChange={(_, d) => setField(d.value as SearchField)}>
            <option value="CompanyName">{t('customers:list.byCompanyName')}</option>
            <option value="Domain">{t('customers:list.byDomain')}</option>
            <option value="Partner">
              {isProvider
                ? t('customers:list.byIndirectReseller')
                : t('customers:list.byIndirectProvider')}
            </option>
          </Select>
        </Field>
        {field === 'Partner' ? (
          <Field
            label={
              isProvider
                ? t('customers:list.indirectReseller')
                : t('customers:list.indirectProvider')
            }
          >
            <Select value={partnerId} onChange={(_, d) => setPartnerId(d.value)}>
              <option value="">{t('customers:list.anyPartner')}</option>
              {(partners.data ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : (
          <Field
            label={
              field === 'Domain'
                ? t('customers:list.domainStartsWith')
                : t('customers:list.nameStartsWith')
            }
          >
            <Input value={text} onChange={(_, d) => setText(d.value)} />
          </Field>
        )}
        <div className={styles.row}>
          <Button type="submit" appearance="primary">
            {t('customers:list.search')}
          </Button>
          <Button type="button" onClick={clear}>
            {t('customers:list.clear')}
          </Button>
        </div>
      </form>

      <ApiErrorBar title={t('customers:errors.title')} error={list.error ?? partners.error} />
      {list.loading ? <Spinner label={t('customers:loading')} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <Text as="p">{filter ? t('customers:list.noMatch') : t('customers:list.empty')}</Text>
        ) : (
          <Table aria-label={t('customers:list.tableLabel')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('customers:fields.companyName')}</TableHeaderCell>
                <TableHeaderCell>{t('customers:fields.domain')}</TableHeaderCell>
                <TableHeaderCell>{t('customers:fields.country')}</TableHeaderCell>
                <TableHeaderCell>{t('customers:fields.delegatedAdmin')}</TableHeaderCell>
                {isProvider ? (
                  <TableHeaderCell>{t('customers:fields.associatedReseller')}</TableHeaderCell>
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
                        ? t('customers:delegatedAdmin.granted')
                        : t('customers:delegatedAdmin.none')}
                    </Badge>
                  </TableCell>
                  {isProvider ? <TableCell>{partnerName(c.associatedPartnerId)}</TableCell> : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )
      ) : null}
      <Pager
        back="previous"
        label={t('customers:paging.label')}
        paging={paging}
        next={list.data?.continuationToken}
      />
    </section>
  );
}
