import {
  Badge,
  Button,
  Field,
  Input,
  Radio,
  RadioGroup,
  Select,
  Text,
  Title1,
  Title2,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/session-context';
import { currentLanguage } from '../i18n/i18n';
import { PATHS } from '../app/paths';
import { RouterLink } from '../app/router-link';
import { ApiErrorBar } from '../app/api-error-bar';
import { DoneBar, usePartnerStyles } from './partner-ui';
import { ok } from '../app/api-result';

const CLOUDS = ['public', 'us-gov', 'germany'] as const;
type Cloud = (typeof CLOUDS)[number];
type EnrollType = 'indirect_provider' | 'indirect_reseller';

interface Form {
  partnerType: EnrollType;
  legalBusinessName: string;
  mpnId: string;
  cloud: Cloud;
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  primaryName: string;
  primaryEmail: string;
  primaryPhone: string;
  supportName: string;
  supportEmail: string;
  supportPhone: string;
  firstName: string;
  lastName: string;
  email: string;
  password: string;
}

const EMPTY: Form = {
  partnerType: 'indirect_reseller',
  legalBusinessName: '',
  mpnId: '',
  cloud: 'public',
  addressLine1: '',
  addressLine2: '',
  city: '',
  state: '',
  postalCode: '',
  country: '',
  primaryName: '',
  primaryEmail: '',
  primaryPhone: '',
  supportName: '',
  supportEmail: '',
  supportPhone: '',
  firstName: '',
  lastName: '',
  email: '',
  password: '',
};

const optional = (value: string) => (value.trim() ? value.trim() : undefined);

/**
 * Seed 004 "Enroll as an indirect reseller" (and an indirect provider's enrollment): the legal
 * business profile, primary contact, support contact and the first Global admin's work account
 * (`POST /v1/enrollments`, public). Then the primary contact verifies the address through the
 * emailed link; this page says so, shows the status and can send the link again
 * (`POST /v1/enrollments/verification/resend`).
 */
export function EnrollmentPage() {
  const { t, i18n } = useTranslation('partner');
  const styles = usePartnerStyles();
  const api = useApi();
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [enrolled, setEnrolled] = useState<{ email: string; status: string }>();
  const [resent, setResent] = useState(false);

  const set =
    (key: keyof Form) =>
    (_: unknown, data: { value: string }): void =>
      setForm((f) => ({ ...f, [key]: data.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await ok(
        api.POST('/v1/enrollments', {
          body: {
            legalBusinessName: form.legalBusinessName.trim(),
            partnerType: form.partnerType,
            mpnId: form.mpnId.trim(),
            cloud: form.cloud,
            locale: currentLanguage(i18n.resolvedLanguage),
            address: {
              addressLine1: form.addressLine1.trim(),
              addressLine2: optional(form.addressLine2),
              city: form.city.trim(),
              state: optional(form.state),
              postalCode: form.postalCode.trim(),
              country: form.country.trim().toUpperCase(),
            },
            primaryContact: {
              name: form.primaryName.trim(),
              email: form.primaryEmail.trim(),
              phone: optional(form.primaryPhone),
            },
            supportContact: {
              name: form.supportName.trim(),
              email: form.supportEmail.trim(),
              phone: optional(form.supportPhone),
            },
            globalAdmin: {
              firstName: form.firstName.trim(),
              lastName: form.lastName.trim(),
              email: form.email.trim(),
              password: form.password,
            },
          },
        }),
      );
      setEnrolled({ email: created.primaryContactEmail, status: created.status });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  async function resend() {
    if (!enrolled) return;
    setError(undefined);
    setResent(false);
    try {
      await ok(
        api.POST('/v1/enrollments/verification/resend', { body: { email: enrolled.email } }),
      );
      setResent(true);
    } catch (failure) {
      setError(failure);
    }
  }

  if (enrolled) {
    return (
      <section className={styles.page} aria-labelledby="enrolled-title">
        <Title1 as="h1" id="enrolled-title">
          {t('partner:enroll.submitted')}
        </Title1>
        <div className={styles.row}>
          <Text weight="semibold">{t('partner:enroll.statusLabel')}</Text>
          <Badge appearance="tint" color="warning">
            {t(`partner:status.${enrolled.status}`)}
          </Badge>
        </div>
        <Text as="p">{t('partner:enroll.verifyNotice', { email: enrolled.email })}</Text>
        <Text as="p">{t('partner:enroll.then')}</Text>
        <ApiErrorBar error={error} />
        <DoneBar>{resent ? t('partner:enroll.resent', { email: enrolled.email }) : null}</DoneBar>
        <div className={styles.row}>
          <Button onClick={() => void resend()}>{t('partner:enroll.resend')}</Button>
          <RouterLink to={PATHS.signIn}>{t('partner:enroll.signIn')}</RouterLink>
        </div>
      </section>
    );
  }

  return (
    <section className={styles.page} aria-labelledby="enroll-title">
      <Title1 as="h1" id="enroll-title">
        {t('partner:enroll.title')}
      </Title1>
      <Text as="p">{t('partner:enroll.intro')}</Text>
      <RouterLink to={PATHS.signIn}>{t('partner:enroll.signInInstead')}</RouterLink>
      <form className={styles.form} onSubmit={(e) => void submit(e)}>
        <Field label={t('partner:enroll.programme')} required>
          <RadioGroup
            value={form.partnerType}
            onChange={(_, data) =>
              setForm((f) => ({ ...f, partnerType: data.value as EnrollType }))
            }
          >
            <Radio value="indirect_provider" label={t('partner:partnerType.indirect_provider')} />
            <Radio value="indirect_reseller" label={t('partner:partnerType.indirect_reseller')} />
          </RadioGroup>
        </Field>
        <Field label={t('partner:enroll.legalBusinessName')} required>
          <Input value={form.legalBusinessName} onChange={set('legalBusinessName')} />
        </Field>
        <Field label={t('partner:enroll.mpnId')} hint={t('partner:enroll.mpnIdHint')} required>
          <Input value={form.mpnId} onChange={set('mpnId')} inputMode="numeric" />
        </Field>
        <Field label={t('partner:enroll.cloud')} required>
          <Select
            value={form.cloud}
            onChange={(_, data) => setForm((f) => ({ ...f, cloud: data.value as Cloud }))}
          >
            {CLOUDS.map((cloud) => (
              <option key={cloud} value={cloud}>
                {t(`partner:cloud.${cloud}`)}
              </option>
            ))}
          </Select>
        </Field>
        <fieldset className={styles.fieldset}>
          <legend>
            <Title2 as="h2">{t('partner:enroll.address')}</Title2>
          </legend>
          <Field label={t('partner:enroll.addressLine1')} required>
            <Input value={form.addressLine1} onChange={set('addressLine1')} />
          </Field>
          <Field label={t('partner:enroll.addressLine2')}>
            <Input value={form.addressLine2} onChange={set('addressLine2')} />
          </Field>
          <Field label={t('partner:enroll.city')} required>
            <Input value={form.city} onChange={set('city')} />
          </Field>
          <Field label={t('partner:enroll.state')}>
            <Input value={form.state} onChange={set('state')} />
          </Field>
          <Field label={t('partner:enroll.postalCode')} required>
            <Input value={form.postalCode} onChange={set('postalCode')} />
          </Field>
          <Field label={t('partner:enroll.country')} required>
            <Input value={form.country} onChange={set('country')} maxLength={2} />
          </Field>
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend>
            <Title2 as="h2">{t('partner:enroll.primaryContact')}</Title2>
          </legend>
          <Text as="p">{t('partner:enroll.primaryContactHint')}</Text>
          <ContactFields
            prefix="primary"
            name={form.primaryName}
            email={form.primaryEmail}
            phone={form.primaryPhone}
            onName={set('primaryName')}
            onEmail={set('primaryEmail')}
            onPhone={set('primaryPhone')}
          />
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend>
            <Title2 as="h2">{t('partner:enroll.supportContact')}</Title2>
          </legend>
          <ContactFields
            prefix="support"
            name={form.supportName}
            email={form.supportEmail}
            phone={form.supportPhone}
            onName={set('supportName')}
            onEmail={set('supportEmail')}
            onPhone={set('supportPhone')}
          />
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend>
            <Title2 as="h2">{t('partner:enroll.account')}</Title2>
          </legend>
          <Text as="p">{t('partner:enroll.accountHint')}</Text>
          <Field label={t('partner:enroll.firstName')} required>
            <Input value={form.firstName} onChange={set('firstName')} autoComplete="given-name" />
          </Field>
          <Field label={t('partner:enroll.lastName')} required>
            <Input value={form.lastName} onChange={set('lastName')} autoComplete="family-name" />
          </Field>
          <Field label={t('partner:enroll.email')} required>
            <Input
              type="email"
              value={form.email}
              onChange={set('email')}
              autoComplete="username"
            />
          </Field>
          <Field label={t('partner:enroll.password')} required>
            <Input
              type="password"
              value={form.password}
              onChange={set('password')}
              autoComplete="new-password"
            />
          </Field>
        </fieldset>
        <ApiErrorBar error={error} />
        <div>
          <Button appearance="primary" type="submit" disabled={busy}>
            {t('partner:enroll.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}

function ContactFields(props: {
  prefix: string;
  name: string;
  email: string;
  phone: string;
  onName(e: unknown, d: { value: string }): void;
  onEmail(e: unknown, d: { value: string }): void;
  onPhone(e: unknown, d: { value: string }): void;
}) {
  const { t } = useTranslation('partner');
  return (
    <>
      <Field label={t('partner:enroll.contactName')} required>
        <Input value={props.name} onChange={props.onName} name={`${props.prefix}-name`} />
      </Field>
      <Field label={t('partner:enroll.contactEmail')} required>
        <Input
          type="email"
          value={props.email}
          onChange={props.onEmail}
          name={`${props.prefix}-email`}
        />
      </Field>
      <Field label={t('partner:enroll.contactPhone')}>
        <Input
          type="tel"
          value={props.phone}
          onChange={props.onPhone}
          name={`${props.prefix}-phone`}
        />
      </Field>
    </>
  );
}
