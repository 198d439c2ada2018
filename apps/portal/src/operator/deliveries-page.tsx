import {
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title2,
  Toolbar,
} from '@fluentui/react-components';
import type { ApiPaths } from '@app/api-client';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/session-context';
import { ApiErrorBar } from '../app/api-error-bar';
import { ok } from '../app/api-result';
import { useFormat } from '../app/format';
import { useLoad } from '../app/use-load';

/** The states the list filters on (`GET /v1/deliveries?status=`). */
const STATUSES = ['failed', 'sent', 'skipped'] as const;
type DeliveryStatus = (typeof STATUSES)[number];

/** A delivery of `GET /v1/deliveries`. */
type Delivery =
  ApiPaths['/v1/deliveries']['get']['responses'][200]['content']['application/json']['items'][number];

/**
 * The operator's email delivery records (issue 4): failed, sent or skipped deliveries, newest
 * first; a delivery that failed for good is replayed under the same idempotency key. The toolbar
 * opens the queue dashboard (bull-board) with a single-use ticket of this session
 * (`POST /v1/queue-dashboard/tickets`): the browser goes to its link, which sets the dashboard's
 * own cookie.
 */
export function DeliveriesPage() {
  const { t } = useTranslation('operator');
  const api = useApi();
  const format = useFormat('');
  const [status, setStatus] = useState<DeliveryStatus>('failed');
  const deliveries = useLoad(
    async () =>
      (await ok(api.GET('/v1/deliveries', { params: { query: { status, size: 50 } } }))).items,
    `${status}`,
  );
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [done, setDone] = useState<string | null>(null);

  const replay = async (delivery: Delivery) => {
    setBusy(true);
    setFailure(undefined);
    setDone(null);
    try {
      await ok(
        api.POST('/v1/deliveries/{idempotencyKey}/replay', {
          params: { path: { idempotencyKey: delivery.idempotencyKey } },
        }),
      );
      setDone(t('operator:deliveries.replayed', { recipient: delivery.recipient ?? '' }));
      deliveries.reload();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const openDashboard = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const ticket = await ok(api.POST('/v1/queue-dashboard/tickets'));
      window.location.assign(ticket.url);
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };

  return (
    <>
      <Title2 as="h1">{t('operator:deliveries.title')}</Title2>
      <p>
        <Text>{t('operator:deliveries.intro')}</Text>
      </p>
      <Toolbar aria-label={t('operator:deliveries.tools')}>
        <Button disabled={busy} onClick={() => void openDashboard()}>
          {t('operator:deliveries.openDashboard')}
        </Button>
      </Toolbar>
      <TabList
        selectedValue={status}
        onTabSelect={(_, data) => setStatus(data.value as DeliveryStatus)}
        aria-label={t('operator:deliveries.filter')}
      >
        {STATUSES.map((s) => (
          <Tab key={s} value={s}>
            {t(`operator:deliveries.statuses.${s}`)}
          </Tab>
        ))}
      </TabList>
      {done && (
        <MessageBar intent="success">
          <MessageBarBody>{done}</MessageBarBody>
        </MessageBar>
      )}
      <ApiErrorBar error={failure} />
      <ApiErrorBar error={deliveries.error} />
      {deliveries.loading && <Spinner label={t('common:loading')} />}
      {!deliveries.loading && deliveries.data && deliveries.data.length === 0 && (
        <p>{t('operator:deliveries.none')}</p>
      )}
      {!deliveries.loading && deliveries.data && deliveries.data.length > 0 && (
        <Table aria-label={t('operator:deliveries.table')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('operator:deliveries.recipient')}</TableHeaderCell>
              <TableHeaderCell>{t('operator:deliveries.subject')}</TableHeaderCell>
              <TableHeaderCell>{t('operator:deliveries.attempts')}</TableHeaderCell>
              <TableHeaderCell>{t('operator:deliveries.lastResponse')}</TableHeaderCell>
              <TableHeaderCell>{t('operator:deliveries.updated')}</TableHeaderCell>
              <TableHeaderCell>{t('operator:deliveries.actions')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {deliveries.data.map((d) => (
              <TableRow key={d.idempotencyKey}>
                <TableCell>{d.recipient ?? ''}</TableCell>
                <TableCell>{d.subject ?? d.template ?? ''}</TableCell>
                <TableCell>{format.number(d.attempts)}</TableCell>
                <TableCell>{d.lastResponse ?? ''}</TableCell>
                <TableCell>{format.dateTime(d.updatedAt)}</TableCell>
                <TableCell>
                  {d.replayable && (
                    <Button
                      disabled={busy}
                      aria-label={t('operator:deliveries.replayFor', {
                        recipient: d.recipient ?? '',
                      })}
                      onClick={() => void replay(d)}
                    >
                      {t('operator:deliveries.replay')}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
