import {
  Badge,
  Button,
  Checkbox,
  Field,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title1,
  Title2,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useApi } from '../api/session-context';
import { ok } from '../app/api-result';
import type { AccessAssignment } from './api-types';
import { ApiErrorBar } from '../app/api-error-bar';
import { ConfirmDialog } from '../app/confirm-dialog';
import { useFormat } from '../app/format';
import { roleKey } from './gdap-roles';
import { RouterLink } from '../app/router-link';
import { useCustomersStyles } from './styles';
import { useLoad } from '../app/use-load';

const ENDED = ['expired', 'terminated', 'terminationRequested', 'terminating'];

/**
 * One delegated admin relationship (GDAP): its status, customer, duration, roles and dates; name
 * the customer while it is `created`; Lock for approval (the customer's Global admins get the
 * approval email); Terminate an active one (behind a confirmation); its lifecycle requests; its
 * access assignments (a security group of the partner and a subset of the roles), added and
 * removed. Every change sends the relationship's or assignment's etag (`If-Match`).
 */
export function DelegatedAdminRelationshipPage() {
  const { t } = useTranslation('customers');
  const api = useApi();
  const styles = useCustomersStyles();
  const format = useFormat();
  const { relationshipId = '' } = useParams();
  const path = { params: { path: { id: relationshipId } } };
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [terminating, setTerminating] = useState(false);
  const [customerId, setCustomerId] = useState('');
  const [groupId, setGroupId] = useState('');
  const [assignmentRoles, setAssignmentRoles] = useState<string[]>([]);

  const relationship = useLoad(
    () => ok(api.GET('/v1/tenantRelationships/delegatedAdminRelationships/{id}', path)),
    relationshipId,
  );
  const requests = useLoad(
    () =>
      ok(api.GET('/v1/tenantRelationships/delegatedAdminRelationships/{id}/requests', path)).then(
        (r) => r.value,
      ),
    relationshipId,
  );
  const assignments = useLoad(
    () =>
      ok(
        api.GET('/v1/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments', path),
      ).then((r) => r.value),
    relationshipId,
  );
  const groups = useLoad(
    () =>
      ok(api.GET('/v1/security-groups', { params: { query: { size: 500 } } })).then((g) => g.items),
    'groups',
  );
  const customers = useLoad(
    () => ok(api.GET('/v1/customers', { params: { query: { size: 500 } } })).then((p) => p.items),
    'customers',
  );

  const reloadAll = () => {
    relationship.reload();
    requests.reload();
    assignments.reload();
  };

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      reloadAll();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const requestAction = (action: 'lockForApproval' | 'terminate') =>
    act(() =>
      ok(
        api.POST('/v1/tenantRelationships/delegatedAdminRelationships/{id}/requests', {
          ...path,
          body: { action },
        }),
      ),
    );

  const nameCustomer = (e: FormEvent) => {
    e.preventDefault();
    const etag = relationship.data?.['@odata.etag'];
    if (!etag || !customerId) return;
    void act(() =>
      ok(
        api.PATCH('/v1/tenantRelationships/delegatedAdminRelationships/{id}', {
          ...path,
          headers: { 'If-Match': etag },
          body: { customer: { tenantId: customerId } },
        }),
      ),
    );
  };

  const addAssignment = (e: FormEvent) => {
    e.preventDefault();
    const chosenGroup = groupId || groups.data?.[0]?.id;
    if (!chosenGroup) return;
    void act(async () => {
      await ok(
        api.POST('/v1/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments', {
          ...path,
          body: {
            accessContainer: {
              accessContainerId: chosenGroup,
              accessContainerType: 'securityGroup',
            },
            accessDetails: {
              unifiedRoles: assignmentRoles.map((roleDefinitionId) => ({ roleDefinitionId })),
            },
          },
        }),
      );
      setAssignmentRoles([]);
    });
  };

  const removeAssignment = (assignment: AccessAssignment) =>
    act(() =>
      ok(
        api.DELETE(
          '/v1/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments/{assignmentId}',
          {
            params: { path: { id: relationshipId, assignmentId: assignment.id } },
            headers: { 'If-Match': assignment['@odata.etag'] },
          },
        ),
      ),
    );

  if (relationship.error)
    return <ApiErrorBar title={t('customers:errors.title')} error={relationship.error} />;
  if (!relationship.data) return <Spinner label={t('customers:loading')} />;
  const r = relationship.data;
  const roleName = (id: string) => {
    const key = roleKey(id);
    return key ? t(`customers:${key}`) : id;
  };
  const groupName = (id: string) => groups.data?.find((g) => g.id === id)?.displayName ?? id;
  const live = !ENDED.includes(r.status);

  return (
    <article aria-labelledby="gdap-title">
      <Title1 as="h1" id="gdap-title">
        {r.displayName}
      </Title1>
      <RouterLink to="/delegated-admin-relationships">{t('customers:gdap.back')}</RouterLink>
      <dl>
        <dt>{t('customers:fields.status')}</dt>
        <dd>
          <Badge appearance="tint">{t(`customers:gdap.status.${r.status}`)}</Badge>
        </dd>
        <dt>{t('customers:gdap.customer')}</dt>
        <dd>{r.customer?.displayName ?? t('customers:gdap.noCustomer')}</dd>
        <dt>{t('customers:gdap.duration')}</dt>
        <dd>{t(`customers:gdap.durations.${r.duration}`, { defaultValue: r.duration })}</dd>
        <dt>{t('customers:gdap.autoExtendLabel')}</dt>
        <dd>
          {r.autoExtendDuration === 'P180D' ? t('customers:gdap.autoExtendOn') : t('customers:no')}
        </dd>
        <dt>{t('customers:gdap.rolesLabel')}</dt>
        <dd>{r.accessDetails.unifiedRoles.map((x) => roleName(x.roleDefinitionId)).join(', ')}</dd>
        <dt>{t('customers:fields.created')}</dt>
        <dd>{format.dateTime(r.createdDateTime)}</dd>
        <dt>{t('customers:gdap.activated')}</dt>
        <dd>{format.dateTime(r.activatedDateTime)}</dd>
        <dt>{t('customers:gdap.ends')}</dt>
        <dd>{format.dateTime(r.endDateTime)}</dd>
      </dl>
      <ApiErrorBar title={t('customers:errors.title')} error={terminating ? undefined : error} />

      {r.status === 'created' && !r.customer ? (
        <form className={styles.form} onSubmit={nameCustomer}>
          <Field
            label={t('customers:gdap.customer')}
            hint={t('customers:gdap.customerHint')}
            required
          >
            <Select value={customerId} onChange={(_, d) => setCustomerId(d.value)}>
              <option value="">{t('customers:gdap.chooseCustomer')}</option>
              {(customers.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.companyProfile.companyName}
                </option>
              ))}
            </Select>
          </Field>
          <Button type="submit" disabled={busy || !customerId}>
            {t('customers:gdap.saveCustomer')}
          </Button>
        </form>
      ) : null}

      <div role="group" aria-label={t('customers:gdap.actions')} className={styles.row}>
        {r.status === 'created' ? (
          <Button
            appearance="primary"
            disabled={busy || !r.customer}
            onClick={() => void requestAction('lockForApproval')}
          >
            {t('customers:gdap.lock')}
          </Button>
        ) : null}
        {r.status === 'active' || r.status === 'expiring' ? (
          <Button disabled={busy} onClick={() => setTerminating(true)}>
            {t('customers:gdap.terminate')}
          </Button>
        ) : null}
      </div>
      {r.status === 'approvalPending' ? (
        <Text as="p">{t('customers:gdap.awaitingApproval')}</Text>
      ) : null}

      <section aria-labelledby="gdap-assignments-title" className={styles.section}>
        <Title2 as="h2" id="gdap-assignments-title">
          {t('customers:gdap.assignments')}
        </Title2>
        <ApiErrorBar
          title={t('customers:errors.title')}
          error={assignments.error ?? groups.error}
        />
        {assignments.data && assignments.data.length > 0 ? (
          <Table aria-label={t('customers:gdap.assignments')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('customers:gdap.group')}</TableHeaderCell>
                <TableHeaderCell>{t('customers:gdap.rolesLabel')}</TableHeaderCell>
                <TableHeaderCell>{t('customers:fields.status')}</TableHeaderCell>
                <TableHeaderCell>{t('customers:fields.actions')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {assignments.data.map((a) => (
                <TableRow key={a.id}>
                  <TableCell>{groupName(a.accessContainer.accessContainerId)}</TableCell>
                  <TableCell>
                    {a.accessDetails.unifiedRoles
                      .map((x) => roleName(x.roleDefinitionId))
                      .join(', ')}
                  </TableCell>
                  <TableCell>{t(`customers:gdap.assignmentStatus.${a.status}`)}</TableCell>
                  <TableCell>
                    {live && (a.status === 'pending' || a.status === 'active') ? (
                      <Button
                        disabled={busy}
                        aria-label={t('customers:gdap.removeAssignmentOf', {
                          group: groupName(a.accessContainer.accessContainerId),
                        })}
                        onClick={() => void removeAssignment(a)}
                      >
                        {t('customers:gdap.removeAssignment')}
                      </Button>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : assignments.data ? (
          <Text as="p">{t('customers:gdap.noAssignments')}</Text>
        ) : null}
        {live ? (
          <form
            className={styles.form}
            aria-labelledby="gdap-add-assignment"
            onSubmit={addAssignment}
          >
            <Title2 as="h3" id="gdap-add-assignment">
              {t('customers:gdap.addAssignment')}
            </Title2>
            <Field label={t('customers:gdap.group')} hint={t('customers:gdap.groupHint')} required>
              <Select value={groupId} onChange={(_, d) => setGroupId(d.value)}>
                {(groups.data ?? []).map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.displayName}
                  </option>
                ))}
              </Select>
            </Field>
            <fieldset>
              <legend>{t('customers:gdap.roles.legend')}</legend>
              {r.accessDetails.unifiedRoles.map(({ roleDefinitionId }) => (
                <Checkbox
                  key={roleDefinitionId}
                  checked={assignmentRoles.includes(roleDefinitionId)}
                  onChange={(_, d) =>
                    setAssignmentRoles((all) =>
                      d.checked === true
                        ? [...all, roleDefinitionId]
                        : all.filter((x) => x !== roleDefinitionId),
                    )
                  }
                  label={roleName(roleDefinitionId)}
                />
              ))}
            </fieldset>
            <Button
              type="submit"
              disabled={busy || assignmentRoles.length === 0 || !groups.data?.length}
            >
              {t('customers:gdap.addAssignment')}
            </Button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="gdap-requests-title" className={styles.section}>
        <Title2 as="h2" id="gdap-requests-title">
          {t('customers:gdap.requests')}
        </Title2>
        {requests.data && requests.data.length > 0 ? (
          <ul>
            {requests.data.map((q) => (
              <li key={q.id}>
                {t('customers:gdap.requestLine', {
                  action: t(`customers:gdap.action.${q.action}`),
                  status: t(`customers:gdap.requestStatus.${q.status}`),
                  date: format.dateTime(q.createdDateTime),
                })}
              </li>
            ))}
          </ul>
        ) : requests.data ? (
          <Text as="p">{t('customers:gdap.noRequests')}</Text>
        ) : null}
      </section>

      <ConfirmDialog
        open={terminating}
        title={t('customers:gdap.terminateTitle', { name: r.displayName })}
        confirmLabel={t('customers:gdap.terminate')}
        cancelLabel={t('customers:cancel')}
        busy={busy}
        onConfirm={() =>
          void requestAction('terminate').then((done) => done && setTerminating(false))
        }
        onCancel={() => setTerminating(false)}
      >
        <p>{t('customers:gdap.terminateEffect')}</p>
        <ApiErrorBar title={t('customers:errors.title')} error={error} />
      </ConfirmDialog>
    </article>
  );
}
