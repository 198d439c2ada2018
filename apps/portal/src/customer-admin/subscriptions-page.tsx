import {
  Badge,
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
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/session-context';
import { ApiErrorBar } from '../app/api-error-bar';
import { ok } from '../app/api-result';
import { useFormat } from '../app/format';
import { useLoad } from '../app/use-load';

/**
 * The customer admin's subscriptions (`GET /v1/customer-subscriptions`): each with its offer,
 * quantity, status, reseller of record (partner name and Partner ID) and designated support
 * contact.
 */
export function SubscriptionsPage() {
  const { t } = useTranslation('customerAdmin');
  const api = useApi();
  const format = useFormat('');
  const subscriptions = useLoad(
    async () =>
      (await ok(api.GET('/v1/customer-subscriptions', { params: { query: { size: 100 } } }))).items,
    '',
  );

  return (
    <>
      <Title2 as="h1">{t('customerAdmin:subscriptions.title')}</Title2>
      <p>
        <Text>{t('customerAdmin:subscriptions.intro')}</Text>
      </p>
      <ApiErrorBar error={subscriptions.error} />
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
                <TableCell>{format.number(s.quantity)}</TableCell>
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
                <TableCell>{format.date(s.createdAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
