import {
  Badge,
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
  Title2,
} from '@fluentui/react-components';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { apiErrorMessage } from '../api/api-error';
import { useApi } from '../api/session-context';
import { formatDate, formatNumber } from './format';
import { dataOf, useApiData } from './use-api-data';

/**
 * The customer admin's subscriptions (`GET /v1/customer-subscriptions`): each with its offer,
 * quantity, status, reseller of record (partner name and Partner ID) and designated support
 * contact.
 */
export function SubscriptionsPage() {
  const { t, i18n } = useTranslation('customerAdmin');
  const api = useApi();
  const load = useCallback(async () => {
    return dataOf(await api.GET('/v1/customer-subscriptions', { params: { query: { size: 100 } } }))
      .items;
  }, [api]);
  const subscriptions = useApiData(load);

  return (
    <>
      <Title2 as="h1">{t('subscriptions.title')}</Title2>
      <p>
        <Text>{t('subscriptions.intro')}</Text>
      </p>
      {subscriptions.error !== undefined && (
        <MessageBar intent="error">
          <MessageBarBody>{apiErrorMessage(t, subscriptions.error)}</MessageBarBody>
        </MessageBar>
      )}
      {subscriptions.loading && !subscriptions.data && <Spinner label={t('common:loading')} />}
      {subscriptions.data && subscriptions.data.length === 0 && <p>{t('subscriptions.none')}</p>}
      {subscriptions.data && subscriptions.data.length > 0 && (
        <Table aria-label={t('subscriptions.table')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('subscriptions.name')}</TableHeaderCell>
              <TableHeaderCell>{t('subscriptions.offer')}</TableHeaderCell>
              <TableHeaderCell>{t('subscriptions.quantity')}</TableHeaderCell>
              <TableHeaderCell>{t('subscriptions.status')}</TableHeaderCell>
              <TableHeaderCell>{t('subscriptions.reseller')}</TableHeaderCell>
              <TableHeaderCell>{t('subscriptions.support')}</TableHeaderCell>
              <TableHeaderCell>{t('subscriptions.created')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {subscriptions.data.map((s) => (
              <TableRow key={s.id}>
                <TableCell>{s.friendlyName}</TableCell>
                <TableCell>{s.offerName}</TableCell>
                <TableCell>{formatNumber(s.quantity, i18n.language)}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color={s.status === 'active' ? 'success' : 'warning'}>
                    {s.status === 'active'
                      ? t('subscriptions.active')
                      : t('subscriptions.suspended')}
                  </Badge>
                </TableCell>
                <TableCell>
                  {s.partner.name}
                  {s.partner.mpnId
                    ? ` (${t('subscriptions.mpnId', { mpnId: s.partner.mpnId })})`
                    : ''}
                </TableCell>
                <TableCell>{s.designatedSupportContact?.name ?? ''}</TableCell>
                <TableCell>{formatDate(s.createdAt, i18n.language)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
