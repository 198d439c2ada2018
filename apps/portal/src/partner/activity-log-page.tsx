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
import { ErrorBar, Loading, Pager, usePartnerStyles } from './partner-ui';
import { unwrap, useDateFormat, useLoad, usePager } from './partner-data';

/**
 * The organisation's activity log (`GET /v1/activity-logs`, Partner Center's AuditRecord): every
 * change, newest first, between two dates, paged forward.
 */
export function ActivityLogPage() {
  const { t } = useTranslation('partner');
  const styles = usePartnerStyles();
  const date = useDateFormat();
  const [fromInput, setFromInput] = useState('');
  const [toInput, setToInput] = useState('');
  const [range, setRange] = useState({ from: '', to: '' });
  const rangeKey = `${range.from}|${range.to}`;
  const pager = usePager(rangeKey);
  const list = useLoad(
    (api) =>
      unwrap(
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
      <ErrorBar error={list.error} />
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
            label={t('partner:activity.title')}
            page={pager.page}
            next={list.data.continuationToken}
            onNext={pager.next}
            onFirst={pager.first}
          />
        </>
      )}
    </section>
  );
}
