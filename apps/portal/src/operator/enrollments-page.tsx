import {
  Button,
  Field,
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
  Textarea,
  Title2,
} from '@fluentui/react-components';
import type { ApiPaths } from '@app/api-client';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiErrorMessage } from '../api/api-error';
import { useApi } from '../api/session-context';
import { ApiErrorBar } from '../app/api-error-bar';
import { ConfirmDialog } from '../app/confirm-dialog';
import { ok } from '../app/api-result';
import { useFormat } from '../app/format';
import { useLoad } from '../app/use-load';

/** An enrollment of `GET /v1/enrollments`. */
type Enrollment =
  ApiPaths['/v1/enrollments']['get']['responses'][200]['content']['application/json']['items'][number];

/**
 * The operator's enrollment review queue (seed 004: "we review your enrollment"): the enrollments
 * in review, oldest first as the API lists them, each approved or rejected with a reason (the
 * partner's primary contact is emailed the outcome).
 */
export function EnrollmentsPage() {
  const { t } = useTranslation('operator');
  const api = useApi();
  const format = useFormat('');
  const enrollments = useLoad(
    async () =>
      (
        await ok(
          api.GET('/v1/enrollments', { params: { query: { status: 'in_review', size: 100 } } }),
        )
      ).items,
    '',
  );
  const [rejecting, setRejecting] = useState<Enrollment | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [done, setDone] = useState<string | null>(null);

  const decide = async (enrollment: Enrollment, decision: 'approve' | 'reject') => {
    setBusy(true);
    setFailure(undefined);
    setDone(null);
    try {
      const params = { path: { id: enrollment.id } };
      await ok(
        decision === 'approve'
          ? api.POST('/v1/enrollments/{id}/approve', { params, body: {} })
          : api.POST('/v1/enrollments/{id}/reject', { params, body: { reason } }),
      );
      setDone(
        t(
          decision === 'approve'
            ? 'operator:enrollments.approved'
            : 'operator:enrollments.rejected',
          {
            name: enrollment.legalBusinessName,
          },
        ),
      );
      setRejecting(null);
      setReason('');
      enrollments.reload();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Title2 as="h1">{t('operator:enrollments.title')}</Title2>
      <p>
        <Text>{t('operator:enrollments.intro')}</Text>
      </p>
      {done && (
        <MessageBar intent="success">
          <MessageBarBody>{done}</MessageBarBody>
        </MessageBar>
      )}
      {failure !== undefined && rejecting === null && (
        <MessageBar intent="error">
          <MessageBarBody>{apiErrorMessage(t, failure)}</MessageBarBody>
        </MessageBar>
      )}
      <ApiErrorBar error={enrollments.error} />
      {enrollments.loading && !enrollments.data && <Spinner label={t('common:loading')} />}
      {enrollments.data && enrollments.data.length === 0 && <p>{t('operator:enrollments.none')}</p>}
      {enrollments.data && enrollments.data.length > 0 && (
        <Table aria-label={t('operator:enrollments.table')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('operator:enrollments.name')}</TableHeaderCell>
              <TableHeaderCell>{t('operator:enrollments.type')}</TableHeaderCell>
              <TableHeaderCell>{t('operator:enrollments.country')}</TableHeaderCell>
              <TableHeaderCell>{t('operator:enrollments.mpnId')}</TableHeaderCell>
              <TableHeaderCell>{t('operator:enrollments.submitted')}</TableHeaderCell>
              <TableHeaderCell>{t('operator:enrollments.actions')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {enrollments.data.map((e) => (
              <TableRow key={e.id}>
                <TableCell>{e.legalBusinessName}</TableCell>
                <TableCell>
                  {e.partnerType ? t(`operator:enrollments.types.${e.partnerType}`) : ''}
                </TableCell>
                <TableCell>{e.country}</TableCell>
                <TableCell>{e.mpnId ?? ''}</TableCell>
                <TableCell>{format.dateTime(e.verifiedAt ?? e.submittedAt)}</TableCell>
                <TableCell>
                  <Button
                    appearance="primary"
                    disabled={busy}
                    aria-label={t('operator:enrollments.approveFor', { name: e.legalBusinessName })}
                    onClick={() => void decide(e, 'approve')}
                  >
                    {t('operator:enrollments.approve')}
                  </Button>{' '}
                  <Button
                    disabled={busy}
                    aria-label={t('operator:enrollments.rejectFor', { name: e.legalBusinessName })}
                    onClick={() => {
                      setFailure(undefined);
                      setDone(null);
                      setRejecting(e);
                    }}
                  >
                    {t('operator:enrollments.reject')}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <ConfirmDialog
        form
        cancelFirst
        lockCancelWhileBusy
        open={rejecting !== null}
        title={t('operator:enrollments.rejectTitle', { name: rejecting?.legalBusinessName ?? '' })}
        confirmLabel={t('operator:enrollments.confirmReject')}
        cancelLabel={t('operator:enrollments.cancel')}
        busy={busy}
        confirmDisabled={!reason.trim()}
        onConfirm={() => rejecting && void decide(rejecting, 'reject')}
        onCancel={() => setRejecting(null)}
      >
        <p>{t('operator:enrollments.rejectBody')}</p>
        <Field label={t('operator:enrollments.reason')} required>
          <Textarea value={reason} onChange={(_, data) => setReason(data.value)} maxLength={1000} />
        </Field>
        <ApiErrorBar error={failure} />
      </ConfirmDialog>
    </>
  );
}
