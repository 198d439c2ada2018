import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
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
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiErrorMessage } from '../api/api-error';
import { useApi } from '../api/session-context';
import { formatDateTime } from '../customer-admin/format';
import { dataOf, useApiData } from '../customer-admin/use-api-data';

/** An enrollment of `GET /v1/enrollments`. */
type Enrollment =
  ApiPaths['/v1/enrollments']['get']['responses'][200]['content']['application/json']['items'][number];

/**
 * The operator's enrollment review queue (seed 004: "we review your enrollment"): the enrollments
 * in review, oldest first as the API lists them, each approved or rejected with a reason (the
 * partner's primary contact is emailed the outcome).
 */
export function EnrollmentsPage() {
  const { t, i18n } = useTranslation('operator');
  const api = useApi();
  const load = useCallback(async () => {
    return dataOf(
      await api.GET('/v1/enrollments', { params: { query: { status: 'in_review', size: 100 } } }),
    ).items;
  }, [api]);
  const enrollments = useApiData(load);
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
      dataOf(
        decision === 'approve'
          ? await api.POST('/v1/enrollments/{id}/approve', { params, body: {} })
          : await api.POST('/v1/enrollments/{id}/reject', { params, body: { reason } }),
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
      {enrollments.error !== undefined && (
        <MessageBar intent="error">
          <MessageBarBody>{apiErrorMessage(t, enrollments.error)}</MessageBarBody>
        </MessageBar>
      )}
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
                <TableCell>
                  {formatDateTime(e.verifiedAt ?? e.submittedAt, i18n.language)}
                </TableCell>
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
      <Dialog
        open={rejecting !== null}
        onOpenChange={(_, data) => {
          if (!data.open) setRejecting(null);
        }}
      >
        <DialogSurface>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (rejecting) void decide(rejecting, 'reject');
            }}
          >
            <DialogBody>
              <DialogTitle>
                {t('operator:enrollments.rejectTitle', {
                  name: rejecting?.legalBusinessName ?? '',
                })}
              </DialogTitle>
              <DialogContent>
                <p>{t('operator:enrollments.rejectBody')}</p>
                <Field label={t('operator:enrollments.reason')} required>
                  <Textarea
                    value={reason}
                    onChange={(_, data) => setReason(data.value)}
                    maxLength={1000}
                  />
                </Field>
                {failure !== undefined && (
                  <MessageBar intent="error">
                    <MessageBarBody>{apiErrorMessage(t, failure)}</MessageBarBody>
                  </MessageBar>
                )}
              </DialogContent>
              <DialogActions>
                <Button appearance="secondary" onClick={() => setRejecting(null)} disabled={busy}>
                  {t('operator:enrollments.cancel')}
                </Button>
                <Button appearance="primary" type="submit" disabled={busy || !reason.trim()}>
                  {t('operator:enrollments.confirmReject')}
                </Button>
              </DialogActions>
            </DialogBody>
          </form>
        </DialogSurface>
      </Dialog>
    </>
  );
}
