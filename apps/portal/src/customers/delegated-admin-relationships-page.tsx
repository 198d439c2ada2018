import {
  Badge,
  Button,
  Checkbox,
  Field,
  Input,
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
import { useNavigate } from 'react-router';
import { useApi } from '../api/session-context';
import { ok } from '../app/api-result';
import { ApiErrorBar } from '../app/api-error-bar';
import { useFormat } from '../app/format';
import { GDAP_DURATIONS, GDAP_ROLES, GLOBAL_ADMINISTRATOR } from './gdap-roles';
import { RouterLink } from '../app/router-link';
import { useCustomersStyles } from './styles';
import { useLoad } from '../app/use-load';

const STATUSES = [
  'created',
  'approvalPending',
  'active',
  'expiring',
  'expired',
  'terminated',
] as const;

/**
 * Delegated admin relationships (GDAP; Graph's `tenantRelationships/delegatedAdminRelationships`):
 * the partner's relationships by status, and a new one (name, customer, duration, roles,
 * auto-extension). A new relationship starts `created`; its page locks it for the customer's
 * approval.
 */
export function DelegatedAdminRelationshipsPage() {
  const { t } = useTranslation('customers');
  const api = useApi();
  const styles = useCustomersStyles();
  const navigate = useNavigate();
  const format = useFormat();
  const [status, setStatus] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [duration, setDuration] = useState<string>('P90D');
  const [roles, setRoles] = useState<string[]>([]);
  const [autoExtend, setAutoExtend] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const list = useLoad(
    () =>
      ok(
        api.GET('/v1/tenantRelationships/delegatedAdminRelationships', {
          params: {
            query: {
              $top: 100,
              $orderby: 'createdDateTime desc',
              ...(status ? { $filter: `status eq '${status}'` } : {}),
            },
          },
        }),
      ),
    status,
  );
  const customers = useLoad(
    () => ok(api.GET('/v1/customers', { params: { query: { size: 500 } } })).then((p) => p.items),
    'customers',
  );

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await ok(
        api.POST('/v1/tenantRelationships/delegatedAdminRelationships', {
          body: {
            displayName: displayName.trim(),
            duration,
            ...(customerId ? { customer: { tenantId: customerId } } : {}),
            accessDetails: {
              unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })),
            },
            autoExtendDuration: autoExtend ? 'P180D' : 'PT0S',
          },
        }),
      );
      void navigate(`/delegated-admin-relationships/${created.id}`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const withGlobalAdmin = roles.includes(GLOBAL_ADMINISTRATOR);

  return (
    <section aria-labelledby="gdap-list-title">
      <Title1 as="h1" id="gdap-list-title">
        {t('customers:gdap.title')}
      </Title1>
      <p>{t('customers:gdap.intro')}</p>
      <Field label={t('customers:fields.status')}>
        <Select value={status} onChange={(_, d) => setStatus(d.value)}>
          <option value="">{t('customers:gdap.allStatuses')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`customers:gdap.status.${s}`)}
            </option>
          ))}
        </Select>
      </Field>
      <ApiErrorBar title={t('customers:errors.title')} error={list.error} />
      {list.loading ? <Spinner label={t('customers:loading')} /> : null}
      {list.data && list.data.value.length === 0 ? (
        <Text as="p">{t('customers:gdap.empty')}</Text>
      ) : null}
      {list.data && list.data.value.length > 0 ? (
        <Table aria-label={t('customers:gdap.title')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('customers:gdap.name')}</TableHeaderCell>
              <TableHeaderCell>{t('customers:gdap.customer')}</TableHeaderCell>
              <TableHeaderCell>{t('customers:fields.status')}</TableHeaderCell>
              <TableHeaderCell>{t('customers:gdap.duration')}</TableHeaderCell>
              <TableHeaderCell>{t('customers:gdap.ends')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.data.value.map((r) => (
              <TableRow key={r.id}>
                <TableCell>
                  <RouterLink to={`/delegated-admin-relationships/${r.id}`}>
                    {r.displayName}
                  </RouterLink>
                </TableCell>
                <TableCell>{r.customer?.displayName ?? '—'}</TableCell>
                <TableCell>
                  <Badge appearance="tint">{t(`customers:gdap.status.${r.status}`)}</Badge>
                </TableCell>
                <TableCell>
                  {t(`customers:gdap.durations.${r.duration}`, { defaultValue: r.duration })}
                </TableCell>
                <TableCell>{format.date(r.endDateTime)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}

      <form
        className={styles.form}
        aria-labelledby="gdap-new-title"
        onSubmit={(e) => void create(e)}
      >
        <Title2 as="h2" id="gdap-new-title">
          {t('customers:gdap.new')}
        </Title2>
        <Field label={t('customers:gdap.name')} hint={t('customers:gdap.nameHint')} required>
          <Input
            value={displayName}
            maxLength={50}
            onChange={(_, d) => setDisplayName(d.value)}
            required
          />
        </Field>
        <Field label={t('customers:gdap.customer')} hint={t('customers:gdap.customerHint')}>
          <Select value={customerId} onChange={(_, d) => setCustomerId(d.value)}>
            <option value="">{t('customers:gdap.customerLater')}</option>
            {(customers.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.companyProfile.companyName}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('customers:gdap.duration')}>
          <Select value={duration} onChange={(_, d) => setDuration(d.value)}>
            {GDAP_DURATIONS.map((d) => (
              <option key={d} value={d}>
                {t(`customers:gdap.durations.${d}`)}
              </option>
            ))}
          </Select>
        </Field>
        <fieldset>
          <legend>{t('customers:gdap.roles.legend')}</legend>
          {GDAP_ROLES.map((role) => (
            <Checkbox
              key={role.id}
              checked={roles.includes(role.id)}
              onChange={(_, d) =>
                setRoles((all) =>
                  d.checked === true ? [...all, role.id] : all.filter((x) => x !== role.id),
                )
              }
              label={t(`customers:gdap.roles.${role.key}`)}
            />
          ))}
        </fieldset>
        <Checkbox
          checked={autoExtend && !withGlobalAdmin}
          disabled={withGlobalAdmin}
          onChange={(_, d) => setAutoExtend(d.checked === true)}
          label={t('customers:gdap.autoExtend')}
        />
        {withGlobalAdmin ? <Text as="p">{t('customers:gdap.noAutoExtendGlobalAdmin')}</Text> : null}
        <ApiErrorBar title={t('customers:errors.title')} error={error ?? customers.error} />
        <div className={styles.row}>
          <Button type="submit" appearance="primary" disabled={busy || roles.length === 0}>
            {t('customers:gdap.create')}
          </Button>
        </div>
      </form>
    </section>
  );
}
