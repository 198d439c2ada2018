import {
  Badge,
  Button,
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
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/session-context';
import { ApiErrorBar } from '../app/api-error-bar';
import { ConfirmDialog } from '../app/confirm-dialog';
import { ok } from '../app/api-result';
import { useFormat } from '../app/format';
import { useLoad } from '../app/use-load';
import type { ApiPaths } from '@app/api-client';

/** A partner of the signed-in customer (`GET /v1/partners`). */
export type CustomerPartner =
  ApiPaths['/v1/partners']['get']['responses'][200]['content']['application/json']['items'][number];

/**
 * The customer admin's partners (seed 001: "review your partners and their delegated admin
 * privileges"): each partner with its reseller relationship and delegated admin privileges, and
 * the removal of those privileges behind a confirmation that says what stays.
 */
export function PartnersPage() {
  const { t } = useTranslation('customerAdmin');
  const api = useApi();
  const format = useFormat('');
  const partners = useLoad(
    async () => (await ok(api.GET('/v1/partners', { params: { query: { size: 100 } } }))).items,
    '',
  );
  const [confirming, setConfirming] = useState<CustomerPartner | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [done, setDone] = useState<string | null>(null);

  const revoke = async (partner: CustomerPartner) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await ok(
        api.DELETE('/v1/partners/{partnerId}/delegated-admin', {
          params: { path: { partnerId: partner.id } },
        }),
      );
      setDone(t('customerAdmin:partners.revoked', { name: partner.name }));
      setConfirming(null);
      partners.reload();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Title2 as="h1">{t('customerAdmin:partners.title')}</Title2>
      <p>
        <Text>{t('customerAdmin:partners.intro')}</Text>
      </p>
      {done && (
        <MessageBar intent="success">
          <MessageBarBody>{done}</MessageBarBody>
        </MessageBar>
      )}
      <ApiErrorBar error={partners.error} />
      {partners.loading && !partners.data && <Spinner label={t('common:loading')} />}
      {partners.data && partners.data.length === 0 && <p>{t('customerAdmin:partners.none')}</p>}
      {partners.data && partners.data.length > 0 && (
        <Table aria-label={t('customerAdmin:partners.table')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('customerAdmin:partners.name')}</TableHeaderCell>
              <TableHeaderCell>{t('customerAdmin:partners.mpnId')}</TableHeaderCell>
              <TableHeaderCell>{t('customerAdmin:partners.relationship')}</TableHeaderCell>
              <TableHeaderCell>{t('customerAdmin:partners.delegatedAdmin')}</TableHeaderCell>
              <TableHeaderCell>{t('customerAdmin:partners.actions')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {partners.data.map((partner) => {
              const dap = partner.delegatedAdminPrivileges;
              return (
                <TableRow key={partner.id}>
                  <TableCell>{partner.name}</TableCell>
                  <TableCell>{partner.mpnId ?? ''}</TableCell>
                  <TableCell>
                    <Badge
                      appearance="tint"
                      color={partner.relationshipActive ? 'success' : 'informative'}
                    >
                      {partner.relationshipActive
                        ? t('customerAdmin:partners.relationshipActive')
                        : t('customerAdmin:partners.relationshipEnded')}
                    </Badge>
                  </TableCell>
                  <TableCell>
                    {dap.active
                      ? t('customerAdmin:partners.dapActive', {
                          date: format.date(dap.grantedAt),
                        })
                      : dap.revokedAt
                        ? t('customerAdmin:partners.dapRevoked', {
                            date: format.date(dap.revokedAt),
                          })
                        : t('customerAdmin:partners.dapNone')}
                  </TableCell>
                  <TableCell>
                    {dap.active && (
                      <Button
                        onClick={() => {
                          setDone(null);
                          setFailure(undefined);
                          setConfirming(partner);
                        }}
                        aria-label={t('customerAdmin:partners.revokeFor', { name: partner.name })}
                      >
                        {t('customerAdmin:partners.revoke')}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      <ConfirmDialog
        cancelFirst
        lockCancelWhileBusy
        open={confirming !== null}
        title={t('customerAdmin:partners.confirmTitle', { name: confirming?.name ?? '' })}
        confirmLabel={t('customerAdmin:partners.confirmRevoke')}
        cancelLabel={t('customerAdmin:partners.cancel')}
        busy={busy}
        onConfirm={() => confirming && void revoke(confirming)}
        onCancel={() => setConfirming(null)}
      >
        <p>{t('customerAdmin:partners.confirmBody', { name: confirming?.name ?? '' })}</p>
        <p>{t('customerAdmin:partners.confirmStays')}</p>
        <ApiErrorBar error={failure} />
      </ConfirmDialog>
    </>
  );
}
