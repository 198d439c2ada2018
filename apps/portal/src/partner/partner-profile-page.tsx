import type { ApiPaths } from '@app/api-client';
import {
  Badge,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Text,
  Title1,
  Title2,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useSession } from '../api/session-context';
import { ApiErrorBar } from '../app/api-error-bar';
import { DoneBar, Loading, usePartnerStyles } from './partner-ui';
import { ok } from '../app/api-result';
import { useLoad } from '../app/use-load';
import { useFormat } from '../app/format';

type Profile =
  ApiPaths['/v1/partner-profile']['get']['responses'][200]['content']['application/json'];

interface Edit {
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
  primaryName: string;
  primaryEmail: string;
  primaryPhone: string;
  supportName: string;
  supportEmail: string;
  supportPhone: string;
}

function toEdit(p: Profile): Edit {
  return {
    addressLine1: p.address.addressLine1,
    addressLine2: p.address.addressLine2 ?? '',
    city: p.address.city,
    state: p.address.state ?? '',
    postalCode: p.address.postalCode,
    primaryName: p.primaryContact.name,
    primaryEmail: p.primaryContact.email,
    primaryPhone: p.primaryContact.phone ?? '',
    supportName: p.supportContact.name,
    supportEmail: p.supportContact.email,
    supportPhone: p.supportContact.phone ?? '',
  };
}

const statusColor = (status: string | null) =>
  status === 'active' ? 'success' : status === 'rejected' ? 'danger' : 'warning';

/**
 * The partner profile (`GET`/`PATCH /v1/partner-profile`): legal business profile, Partner ID
 * (MPN ID), enrollment status, primary and support contacts. The partner edits its address and
 * contacts (a new primary contact email becomes effective once verified); the legal name, Partner
 * ID, country, cloud and type — and an indirect provider's support contact (seed 002 step 1) —
 * are the operator's.
 */
export function PartnerProfilePage() {
  const { t } = useTranslation('partner');
  const styles = usePartnerStyles();
  const api = useApi();
  const { me, reload: reloadSession } = useSession();
  const country = useFormat('').country;
  const profile = useLoad(() => ok(api.GET('/v1/partner-profile')), 'profile');
  const [edit, setEdit] = useState<Edit>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const canEdit = me?.user.roles.includes('GlobalAdmin') ?? false;
  const p = profile.data;
  const isProvider = p?.partnerType === 'indirect_provider';

  const set =
    (key: keyof Edit) =>
    (_: unknown, data: { value: string }): void =>
      setEdit((e) => (e ? { ...e, [key]: data.value } : e));

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!edit || !p) return;
    setError(undefined);
    try {
      await ok(
        api.PATCH('/v1/partner-profile', {
          body: {
            address: {
              addressLine1: edit.addressLine1.trim(),
              ...(edit.addressLine2.trim() ? { addressLine2: edit.addressLine2.trim() } : {}),
              city: edit.city.trim(),
              ...(edit.state.trim() ? { state: edit.state.trim() } : {}),
              postalCode: edit.postalCode.trim(),
            },
            primaryContact: {
              name: edit.primaryName.trim(),
              email: edit.primaryEmail.trim(),
              phone: edit.primaryPhone.trim() || null,
            },
            ...(isProvider
              ? {}
              : {
                  supportContact: {
                    name: edit.supportName.trim(),
                    email: edit.supportEmail.trim(),
                    phone: edit.supportPhone.trim() || null,
                  },
                }),
          },
        }),
      );
      setEdit(undefined);
      setSaved(true);
      profile.reload();
      await reloadSession();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section className={styles.page} aria-labelledby="profile-title">
      <Title1 as="h1" id="profile-title">
        {t('partner:profile.title')}
      </Title1>
      <Loading when={profile.loading && !p} />
      <ApiErrorBar error={profile.error} />
      <DoneBar>{saved ? t('partner:profile.saved') : null}</DoneBar>
      {p && p.status === 'in_review' && (
        <MessageBar intent="info">
          <MessageBarBody>{t('partner:profile.inReview')}</MessageBarBody>
        </MessageBar>
      )}
      {p && !edit && (
        <>
          <dl className={styles.facts}>
            <dt className={styles.term}>{t('partner:profile.legalBusinessName')}</dt>
            <dd className={styles.detail}>{p.legalBusinessName}</dd>
            <dt className={styles.term}>{t('partner:profile.mpnId')}</dt>
            <dd className={styles.detail}>{p.mpnId}</dd>
            <dt className={styles.term}>{t('partner:profile.partnerType')}</dt>
            <dd className={styles.detail}>
              {p.partnerType ? t(`partner:partnerType.${p.partnerType}`) : ''}
            </dd>
            <dt className={styles.term}>{t('partner:profile.status')}</dt>
            <dd className={styles.detail}>
              {p.status && (
                <Badge appearance="tint" color={statusColor(p.status)}>
                  {t(`partner:status.${p.status}`)}
                </Badge>
              )}
            </dd>
            <dt className={styles.term}>{t('partner:profile.country')}</dt>
            <dd className={styles.detail}>{country(p.country)}</dd>
            <dt className={styles.term}>{t('partner:profile.cloud')}</dt>
            <dd className={styles.detail}>{t(`partner:cloud.${p.cloud}`)}</dd>
            <dt className={styles.term}>{t('partner:profile.address')}</dt>
            <dd className={styles.detail}>
              {[
                p.address.addressLine1,
                p.address.addressLine2,
                p.address.city,
                p.address.state,
                p.address.postalCode,
                country(p.address.country),
              ]
                .filter(Boolean)
                .join(', ')}
            </dd>
            <dt className={styles.term}>{t('partner:profile.primaryContact')}</dt>
            <dd className={styles.detail}>
              {[p.primaryContact.name, p.primaryContact.email, p.primaryContact.phone]
                .filter(Boolean)
                .join(' · ')}
            </dd>
            <dt className={styles.term}>{t('partner:profile.supportContact')}</dt>
            <dd className={styles.detail}>
              {[
                p.supportContact.name,
                p.supportContact.email,
                p.supportContact.phone,
                p.supportContact.website,
              ]
                .filter(Boolean)
                .join(' · ')}
            </dd>
          </dl>
          {p.pendingPrimaryContact && (
            <MessageBar intent="info">
              <MessageBarBody>
                {t('partner:profile.pendingPrimaryContact', {
                  email: p.pendingPrimaryContact.email,
                })}
              </MessageBarBody>
            </MessageBar>
          )}
          <Text as="p">{t('partner:profile.reserved')}</Text>
          {isProvider && <Text as="p">{t('partner:profile.providerSupportReserved')}</Text>}
          {canEdit && (
            <div>
              <Button
                onClick={() => {
                  setSaved(false);
                  setEdit(toEdit(p));
                }}
              >
                {t('partner:profile.edit')}
              </Button>
            </div>
          )}
        </>
      )}
      {p && edit && (
        <form className={styles.form} onSubmit={(e) => void save(e)}>
          <fieldset className={styles.fieldset}>
            <legend>
              <Title2 as="h2">{t('partner:profile.address')}</Title2>
            </legend>
            <Field label={t('partner:enroll.addressLine1')} required>
              <Input value={edit.addressLine1} onChange={set('addressLine1')} />
            </Field>
            <Field label={t('partner:enroll.addressLine2')}>
              <Input value={edit.addressLine2} onChange={set('addressLine2')} />
            </Field>
            <Field label={t('partner:enroll.city')} required>
              <Input value={edit.city} onChange={set('city')} />
            </Field>
            <Field label={t('partner:enroll.state')}>
              <Input value={edit.state} onChange={set('state')} />
            </Field>
            <Field label={t('partner:enroll.postalCode')} required>
              <Input value={edit.postalCode} onChange={set('postalCode')} />
            </Field>
          </fieldset>
          <fieldset className={styles.fieldset}>
            <legend>
              <Title2 as="h2">{t('partner:profile.primaryContact')}</Title2>
            </legend>
            <Field label={t('partner:enroll.contactName')} required>
              <Input value={edit.primaryName} onChange={set('primaryName')} />
            </Field>
            <Field label={t('partner:enroll.contactEmail')} required>
              <Input type="email" value={edit.primaryEmail} onChange={set('primaryEmail')} />
            </Field>
            <Field label={t('partner:enroll.contactPhone')}>
              <Input type="tel" value={edit.primaryPhone} onChange={set('primaryPhone')} />
            </Field>
          </fieldset>
          {!isProvider && (
            <fieldset className={styles.fieldset}>
              <legend>
                <Title2 as="h2">{t('partner:profile.supportContact')}</Title2>
              </legend>
              <Field label={t('partner:enroll.contactName')} required>
                <Input value={edit.supportName} onChange={set('supportName')} />
              </Field>
              <Field label={t('partner:enroll.contactEmail')} required>
                <Input type="email" value={edit.supportEmail} onChange={set('supportEmail')} />
              </Field>
              <Field label={t('partner:enroll.contactPhone')}>
                <Input type="tel" value={edit.supportPhone} onChange={set('supportPhone')} />
              </Field>
            </fieldset>
          )}
          <ApiErrorBar error={error} />
          <div className={styles.row}>
            <Button appearance="primary" type="submit">
              {t('partner:common.save')}
            </Button>
            <Button onClick={() => setEdit(undefined)}>{t('partner:common.cancel')}</Button>
          </div>
        </form>
      )}
    </section>
  );
}
