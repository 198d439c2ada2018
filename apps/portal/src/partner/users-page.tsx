import type { ApiPaths } from '@app/api-client';
import {
  Badge,
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
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
import { ConfirmDialog } from '../app/confirm-dialog';
import { useApi, useSession } from '../api/session-context';
import { currentLanguage } from '../i18n/i18n';
import { ApiErrorBar } from '../app/api-error-bar';
import { DoneBar, Loading, usePartnerStyles } from './partner-ui';
import { Pager } from '../app/pager';
import { ok } from '../app/api-result';
import { useLoad } from '../app/use-load';
import { useSeekPages } from '../app/use-seek-pages';

type User =
  ApiPaths['/v1/users']['get']['responses'][200]['content']['application/json']['items'][number];

/** A partner organisation's roles (DESIGN.md "Roles"). */
export const PARTNER_ROLES = [
  'GlobalAdmin',
  'UserManagementAdmin',
  'AdminAgent',
  'SalesAgent',
  'HelpdeskAgent',
  'BillingAdmin',
] as const;

/**
 * User management of the partner organisation (seed 004 "Add a new user", "Assign user
 * permissions"): `GET /v1/users`, add a user (`POST /v1/users`: its temporary password is shown
 * once, with a copy button), change roles (`PATCH /v1/users/{id}`), remove (`DELETE`, after a
 * confirmation). The API judges which roles the caller may grant (403 `user.role_not_grantable`).
 */
export function UsersPage() {
  const { t, i18n } = useTranslation('partner');
  const styles = usePartnerStyles();
  const api = useApi();
  const { me } = useSession();
  const pager = useSeekPages('users');
  const list = useLoad(
    () =>
      ok(
        api.GET('/v1/users', {
          params: { query: { size: 50, ...(pager.seek ? { seek: pager.seek } : {}) } },
        }),
      ),
    pager.seek ?? '',
  );
  const [adding, setAdding] = useState(false);
  const [form, setForm] = useState({ firstName: '', lastName: '', email: '' });
  const [locale, setLocale] = useState<'en' | 'ja'>(currentLanguage(i18n.resolvedLanguage));
  const [newRoles, setNewRoles] = useState<string[]>(['AdminAgent']);
  const [created, setCreated] = useState<{ userName: string; password: string }>();
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const [editing, setEditing] = useState<User>();
  const [editRoles, setEditRoles] = useState<string[]>([]);
  const [removing, setRemoving] = useState<User>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const nameOf = (u: User) => `${u.firstName} ${u.lastName}`;
  const toggle = (roles: string[], role: string, on: boolean) =>
    on ? [...roles.filter((r) => r !== role), role] : roles.filter((r) => r !== role);

  async function act(run: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await run();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const add = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const answer = await ok(
        api.POST('/v1/users', {
          body: {
            firstName: form.firstName.trim(),
            lastName: form.lastName.trim(),
            email: form.email.trim(),
            roles: newRoles,
            locale,
          },
        }),
      );
      setCreated({ userName: answer.user.userPrincipalName, password: answer.temporaryPassword });
      setCopied('idle');
      setAdding(false);
      setForm({ firstName: '', lastName: '', email: '' });
      list.reload();
    });
  };

  const saveRoles = (user: User) =>
    act(async () => {
      await ok(
        api.PATCH('/v1/users/{id}', {
          params: { path: { id: user.id } },
          body: { roles: editRoles },
        }),
      );
      setEditing(undefined);
      setNotice(t('partner:users.rolesUpdated', { name: nameOf(user) }));
      list.reload();
    });

  const remove = (user: User) =>
    act(async () => {
      await ok(api.DELETE('/v1/users/{id}', { params: { path: { id: user.id } } }));
      setRemoving(undefined);
      setNotice(t('partner:users.removed', { name: nameOf(user) }));
      list.reload();
    });

  return (
    <section className={styles.page} aria-labelledby="users-title">
      <Title1 as="h1" id="users-title">
        {t('partner:users.title')}
      </Title1>
      <Text as="p">{t('partner:users.intro')}</Text>
      {created && (
        <section className={styles.fieldset} aria-labelledby="user-created-title">
          <Title2 as="h2" id="user-created-title">
            {t('partner:users.created')}
          </Title2>
          <MessageBar intent="warning">
            <MessageBarBody>{t('partner:users.createdNotice')}</MessageBarBody>
          </MessageBar>
          <div>
            <dl className={styles.facts}>
              <dt className={styles.term}>{t('partner:users.signInName')}</dt>
              <dd className={styles.detail}>{created.userName}</dd>
              <dt className={styles.term}>{t('partner:users.temporaryPassword')}</dt>
              <dd className={styles.detail}>
                <code>{created.password}</code>
              </dd>
            </dl>
            <div className={styles.row}>
              <Button
                onClick={() =>
                  void navigator.clipboard
                    .writeText(`${created.userName}\n${created.password}`)
                    .then(
                      () => setCopied('copied'),
                      () => setCopied('failed'),
                    )
                }
              >
                {t('partner:common.copy')}
              </Button>
              <Button onClick={() => setCreated(undefined)}>{t('partner:common.done')}</Button>
            </div>
            {copied !== 'idle' && (
              <Text role="status">
                {copied === 'copied' ? t('partner:common.copied') : t('partner:common.copyFailed')}
              </Text>
            )}
          </div>
        </section>
      )}
      <DoneBar>{notice}</DoneBar>
      {!editing && !removing && <ApiErrorBar error={error} />}
      {!adding ? (
        <div>
          <Button
            appearance="primary"
            onClick={() => {
              setCreated(undefined);
              setAdding(true);
            }}
          >
            {t('partner:users.add')}
          </Button>
        </div>
      ) : (
        <form className={styles.form} onSubmit={add} aria-labelledby="add-user-title">
          <Title2 as="h2" id="add-user-title">
            {t('partner:users.add')}
          </Title2>
          <Field label={t('partner:users.firstName')} required>
            <Input
              value={form.firstName}
              onChange={(_, d) => setForm((f) => ({ ...f, firstName: d.value }))}
            />
          </Field>
          <Field label={t('partner:users.lastName')} required>
            <Input
              value={form.lastName}
              onChange={(_, d) => setForm((f) => ({ ...f, lastName: d.value }))}
            />
          </Field>
          <Field label={t('partner:users.email')} required>
            <Input
              type="email"
              value={form.email}
              onChange={(_, d) => setForm((f) => ({ ...f, email: d.value }))}
            />
          </Field>
          <Field label={t('partner:users.language')}>
            <Select value={locale} onChange={(_, d) => setLocale(d.value === 'ja' ? 'ja' : 'en')}>
              <option value="en">English</option>
              <option value="ja">日本語</option>
            </Select>
          </Field>
          <RoleChoices
            legend={t('partner:users.roles')}
            roles={newRoles}
            onChange={(role, on) => setNewRoles((r) => toggle(r, role, on))}
          />
          <div className={styles.row}>
            <Button appearance="primary" type="submit" disabled={busy}>
              {t('partner:users.add')}
            </Button>
            <Button onClick={() => setAdding(false)}>{t('partner:common.cancel')}</Button>
          </div>
        </form>
      )}
      <Loading when={list.loading} />
      <ApiErrorBar error={list.error} />
      {list.data && (
        <>
          <Table aria-label={t('partner:users.title')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('partner:partnerships.name')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:users.email')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:users.roles')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:users.status')}</TableHeaderCell>
                <TableHeaderCell>{t('partner:users.actions')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data.items.map((user) => (
                <TableRow key={user.id}>
                  <TableCell>
                    {nameOf(user)} {user.id === me?.user.id ? t('partner:users.you') : ''}
                    {user.delegation ? ` · ${t('partner:users.delegated')}` : ''}
                  </TableCell>
                  <TableCell className={styles.wrap}>{user.userPrincipalName}</TableCell>
                  <TableCell>
                    {user.roles.map((r) => t(`partner:users.role.${r}`)).join(', ')}
                  </TableCell>
                  <TableCell>
                    <Badge
                      appearance="tint"
                      color={user.status === 'active' ? 'success' : 'warning'}
                    >
                      {t(`partner:users.state.${user.status}`)}
                    </Badge>
                  </TableCell>
                  <TableCell>
                    <div className={styles.row}>
                      <Button
                        size="small"
                        aria-label={`${t('partner:users.changeRoles')}: ${nameOf(user)}`}
                        onClick={() => {
                          setError(undefined);
                          setEditRoles([...user.roles]);
                          setEditing(user);
                        }}
                      >
                        {t('partner:users.changeRoles')}
                      </Button>
                      {user.id !== me?.user.id && (
                        <Button
                          size="small"
                          aria-label={`${t('partner:users.remove')}: ${nameOf(user)}`}
                          onClick={() => {
                            setError(undefined);
                            setRemoving(user);
                          }}
                        >
                          {t('partner:users.remove')}
                        </Button>
                      )}
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pager
            back="first"
            label={t('partner:users.title')}
            paging={pager}
            next={list.data.continuationToken}
          />
        </>
      )}
      <ConfirmDialog
        open={editing !== undefined}
        title={t('partner:users.rolesOf', { name: editing ? nameOf(editing) : '' })}
        confirmLabel={t('partner:users.update')}
        cancelLabel={t('partner:common.cancel')}
        busy={busy}
        onConfirm={() => editing && void saveRoles(editing)}
        onCancel={() => setEditing(undefined)}
      >
        <RoleChoices
          legend={t('partner:users.roles')}
          roles={editRoles}
          onChange={(role, on) => setEditRoles((r) => toggle(r, role, on))}
        />
        <ApiErrorBar error={error} />
      </ConfirmDialog>
      <ConfirmDialog
        open={removing !== undefined}
        title={t('partner:users.removeTitle', { name: removing ? nameOf(removing) : '' })}
        confirmLabel={t('partner:common.yes')}
        cancelLabel={t('partner:common.no')}
        busy={busy}
        onConfirm={() => removing && void remove(removing)}
        onCancel={() => setRemoving(undefined)}
      >
        <Text as="p">
          {t('partner:users.removeBody', { email: removing?.userPrincipalName ?? '' })}
        </Text>
        <ApiErrorBar error={error} />
      </ConfirmDialog>
    </section>
  );
}

function RoleChoices(props: {
  legend: string;
  roles: string[];
  onChange(role: string, on: boolean): void;
}) {
  const { t } = useTranslation('partner');
  const styles = usePartnerStyles();
  return (
    <fieldset className={styles.fieldset}>
      <legend>{props.legend}</legend>
      {PARTNER_ROLES.map((role) => (
        <Checkbox
          key={role}
          label={t(`partner:users.role.${role}`)}
          checked={props.roles.includes(role)}
          onChange={(_, d) => props.onChange(role, d.checked === true)}
        />
      ))}
    </fieldset>
  );
}
