import {
  Button,
  Field,
  Input,
  Link,
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
import { useApi } from '../api/session-context';
import { ApiErrorBar } from '../app/api-error-bar';
import { Loading, usePartnerStyles } from './partner-ui';
import { Pager } from '../app/pager';
import { ok } from '../app/api-result';
import { useLoad } from '../app/use-load';
import { useSeekPages } from '../app/use-seek-pages';
import { useFormat } from '../app/format';

/**
 * "Find a provider" (seed 004 "Connect with an indirect provider"): the directory of active
 * indirect providers (`GET /v1/indirect-providers`, public), searched by name and country or
 * region, paged forward with the API's continuation token.
 */
export function FindProviderPage() {
  const { t } = useTranslation('partner');
  const styles = usePartnerStyles();
  const api = useApi();
  const country = useFormat('').country;
  const [nameInput, setNameInput] = useState('');
  const [countryInput, setCountryInput] = useState('');
  const [query, setQuery] = useState({ name: '', country: '' });
  const queryKey = `${query.name}|${query.country}`;
  const pager = useSeekPages(queryKey);
  const list = useLoad(
    () =>
      ok(
        api.GET('/v1/indirect-providers', {
          params: {
            query: {
              size: 25,
              ...(query.name ? { name: query.name } : {}),
              ...(query.country ? { country: query.country } : {}),
              ...(pager.seek ? { seek: pager.seek } : {}),
            },
          },
        }),
      ),
    `${queryKey}|${pager.seek ?? ''}`,
  );

  function search(event: FormEvent) {
    event.preventDefault();
    setQuery({ name: nameInput.trim(), country: countryInput.trim().toUpperCase() });
  }

  return (
    <section className={styles.page} aria-labelledby="directory-title">
      <Title1 as="h1" id="directory-title">
        {t('partner:directory.title')}
      </Title1>
      <Text as="p">{t('partner:directory.intro')}</Text>
      <form className={styles.row} role="search" onSubmit={search}>
        <Field label={t('partner:directory.name')}>
          <Input value={nameInput} onChange={(_, d) => setNameInput(d.value)} />
        </Field>
        <Field label={t('partner:directory.country')}>
          <Input value={countryInput} onChange={(_, d) => setCountryInput(d.value)} maxLength={2} />
        </Field>
        <Button type="submit" appearance="primary">
          {t('partner:common.search')}
        </Button>
      </form>
      <Loading when={list.loading} />
      <ApiErrorBar error={list.error} />
      {list.data && (
        <>
          <Table aria-label={t('partner:directory.results')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('partner:directory.name')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:directory.mpnId')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:directory.country')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:directory.support')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data.items.map((provider) => (
                <TableRow key={provider.id}>
                  <TableCell>{provider.name}</TableCell>
                  <TableCell>{provider.mpnId}</TableCell>
                  <TableCell>{country(provider.country)}</TableCell>
                  <TableCell>
                    {provider.supportContact.name} ·{' '}
                    <Link href={`mailto:${provider.supportContact.email}`}>
                      {provider.supportContact.email}
                    </Link>
                    {provider.supportContact.phone ? ` · ${provider.supportContact.phone}` : ''}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {list.data.items.length === 0 && <Text as="p">{t('partner:common.empty')}</Text>}
          <Pager
            back="first"
            label={t('partner:directory.results')}
            paging={pager}
            next={list.data.continuationToken}
          />
        </>
      )}
    </section>
  );
}
