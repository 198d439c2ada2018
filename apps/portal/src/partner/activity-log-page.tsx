import {
  Button,
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
 * The organisation's activity log (`GET /v1/activity-logs`, Partner Center's AuditRecord): every
 * change, newest first, between two dates, paged forward.
 */
export function ActivityLogPage() {
  const { t } = useTranslation('partner');
  const styles = usePartnerStyles();
  const api = useApi();
  const date = useFormat('').dateTime;
  const [fromInput, setFromInput] = useState('');
  const [toInput, setToInput] = useState('');
  const [range, setRange] = useState({ from: '', to: '' });
  const rangeKey = `${range.from}|${range.to}`;
  const pager = useSeekPages(rangeKey);
  const list = useLoad(
    () =>
      ok(
        api.GET('/v1/activity-logs', {
          params: {
            query: {
              size: 50,
              ...(range.from ? { startDate: range.from } : {}),
              ...(range.to ? { endDate: range.to } : {}),
              ...(pager.seek ? { seek: pager.seek } : {}),
            },
          },
        }),
      ),
    `${rangeKey}|${pager.seek ?? ''}`,
  );

  function apply(event: FormEvent) {
    event.preventDefault();
    setRange({ from: fromInput, to: toInput });
  }

  return (
    <section className={styles.page} aria-labelledby="activity-title">
      <Title1 as="h1" id="activity-title">
        {t('partner:activity.title')}
      </Title1>
      <Text as="p">{t('partner:activity.intro')}</Text>
      <form className={styles.row} onSubmit={apply}>
        <Field label={t('partner:activity.from')}>
          <Input type="date" value={fromInput} onChange={(_, d) => setFromInput(d.value)} />
        </Field>
        <Field label={t('partner:activity.to')}>
          <Input type="date" value={toInput} onChange={(_, d) => setToInput(d.value)} />
        </Field>
        <Button type="submit">{t('partner:activity.apply')}</Button>
      </form>
      <Loading when={list.loading} />
      <ApiErrorBar error={list.error} />
      {list.data && (
        <>
          <Table aria-label={t('partner:activity.title')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('partner:activity.when')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:activity.operation')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:activity.resource')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:activity.user')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:activity.customer')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data.items.map((record) => (
                <TableRow key={record.id}>
                  <TableCell>{date(record.operationDate)}</TableCell>
                  <TableCell>
                    <code>{record.type}</code>
                  </TableCell>
                  <TableCell>{record.resourceType}</TableCell>
                  <TableCell>
                    {record.userPrincipalName ?? ''}
                    {record.actor.onBehalfOfTenantId ? ` (${t('partner:activity.byPartner')})` : ''}
                  </TableCell>
                  <TableCell>{record.customerName ?? ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {list.data.items.length === 0 && <Text as="p">{t('partner:common.empty')}</Text>}
          <Pager
            back="first"
            label={t('partner:activity.title')}
            paging={pager}
            next={list.data.continuationToken}
          />
        </>
      )}
    </section>
  );
}
