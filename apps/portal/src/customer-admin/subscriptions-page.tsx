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
      <Title2 as="h1">{t('customerAdmin:subscriptions.title')}</Title2>
      <p>
        <Text>{t('customerAdmin:subscriptions.intro')}</Text>
      </p>
      {subscriptions.error !== undefined && (
        <MessageBar intent="error">
          <MessageBarBody>{apiErrorMessage(t, subscriptions.error)}</MessageBarBody>
        </MessageBar>
      )}
      {subscriptions.loading && !subscriptions.data && <Spinner label={t('common:loading')} />}
      {subscriptions.data && subscriptions.data.length === 0 && (
        <p>{t('customerAdmin:subscriptions.none')}</p>
      )}
      {subscriptions.data && subscriptions.data.length > 0 && (
        <Table aria-label={t('customerAdmin:subscriptions.table')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('customerAdmin:subscriptions.name')}</TableHeaderCell>
              <TableHeaderCell>{t('customerAdmin:subscriptions.offer')}</TableHeaderCell>
              <TableHeaderCell>{t('customerAdmin:subscriptions.quantity')}</TableHeaderCell>
              <TableHeaderCell>{t('customerAdmin:subscriptions.status')}</TableHeaderCell>
              <TableHeaderCell>{t('customerAdmin:subscriptions.reseller')}</TableHeaderCell>
              <TableHeaderCell>{t('customerAdmin:subscriptions.support')}</TableHeaderCell>
              <TableHeaderCell>{t('customerAdmin:subscriptions.created')}</TableHeaderCell>
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
                      ? t('customerAdmin:subscriptions.active')
                      : t('customerAdmin:subscriptions.suspended')}
                  </Badge>
                </TableCell>
                <TableCell>
                  {s.partner.name}
                  {s.partner.mpnId
                    ? ` (${t('customerAdmin:subscriptions.mpnId', { mpnId: s.partner.mpnId })})`
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
