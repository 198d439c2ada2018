import {
  Button,
  Checkbox,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
  SpinButton,
  Title1,
  Title2,
} from '@fluentui/react-components';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useApi, useSession } from '../api/session-context';
import { ApiFailure, ok } from '../app/api-result';
import type { CreatedCustomer } from './api-types';
import { ApiErrorBar } from '../app/api-error-bar';
import { loadChannelPartners } from './partners';
import { useCustomersStyles } from './styles';
import { useLoad } from '../app/use-load';

type Step = 'details' | 'subscriptions' | 'review' | 'done';

interface Details {
  companyName: string;
  domain: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  culture: 'en-US' | 'ja-JP';
  resellerId: string;
}

interface Order {
  offerId: string;
  quantity: number;
  supportContactId: string;
}

/**
 * Add a new customer (seed 002 "Add new customers and associate them with indirect resellers",
 * seed 003): the customer's details (Partner Center's fields; an indirect provider picks the
 * indirect reseller, `?reseller=` preselects one), Next: Subscriptions, Next: Review, Submit.
 * The confirmation's setup info shows the admin's sign-in name and temporary password once, with
 * a copy button: nothing shows them again once the page is left. Ordering needs the partner's
 * confirmation that the customer accepted the Microsoft Customer Agreement (Partner Center 13605).
 * One `MS-RequestId` per visit: a repeated Submit answers the first creation, never a second one.
 */
export function NewCustomerPage() {
  const { t, i18n } = useTranslation('customers');
  const api = useApi();
  const styles = useCustomersStyles();
  const { me, audience } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const isProvider = audience === 'indirect_provider';
  const requestId = useMemo(() => crypto.randomUUID(), []);
  const [step, setStep] = useState<Step>('details');
  const [details, setDetails] = useState<Details>({
    companyName: '',
    domain: '',
    firstName: '',
    lastName: '',
    email: '',
    phone: '',
    addressLine1: '',
    addressLine2: '',
    city: '',
    state: '',
    postalCode: '',
    country: me?.tenant.country ?? 'US',
    culture: i18n.language.startsWith('ja') ? 'ja-JP' : 'en-US',
    resellerId: params.get('reseller') ?? '',
  });
  const [orders, setOrders] = useState<Order[]>([]);
  const [agreementConfirmed, setAgreementConfirmed] = useState(false);
  const [domainState, setDomainState] = useState<'unknown' | 'free' | 'taken'>('unknown');
  const [created, setCreated] = useState<CreatedCustomer>();
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const resellers = useLoad(
    () => (isProvider ? loadChannelPartners(api, 'resellers') : Promise.resolve([])),
    `resellers:${audience}`,
  );
  const offers = useLoad(() => ok(api.GET('/v1/offers')).then((o) => o.items), 'offers');
  const agreement = useLoad(
    () =>
      ok(
        api.GET('/v1/agreements', {
          params: { query: { agreementType: 'MicrosoftCustomerAgreement' } },
        }),
      ).then((a) => a.items[0]),
    'agreement',
  );
  const reseller = resellers.data?.find((r) => r.id === details.resellerId);
  const offerName = (id: string) => offers.data?.find((o) => o.id === id)?.name ?? id;

  const set =
    <K extends keyof Details>(key: K) =>
    (_: unknown, data: { value: string }) => {
      setDetails((d) => ({ ...d, [key]: data.value }));
      if (key === 'domain') setDomainState('unknown');
    };

  const checkDomain = async () => {
    setError(undefined);
    const { response } = await api.GET('/v1/domains/{domain}', {
      params: { path: { domain: details.domain.trim() } },
    });
    if (response.status === 200) setDomainState('taken');
    else if (response.status === 404) setDomainState('free');
    else setError(new ApiFailure(response.status, await response.json().catch(() => null)));
  };

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const withOrders = orders.length > 0;
      const result = await ok(
        api.POST('/v1/customers', {
          headers: { 'MS-RequestId': requestId },
          body: {
            companyProfile: { domain: details.domain.trim() },
            billingProfile: {
              email: details.email.trim(),
              culture: details.culture,
              language: details.culture.slice(0, 2),
              companyName: details.companyName.trim(),
              defaultAddress: {
                country: details.country.trim().toUpperCase(),
                city: details.city.trim(),
                addressLine1: details.addressLine1.trim(),
                postalCode: details.postalCode.trim(),
                firstName: details.firstName.trim(),
                lastName: details.lastName.trim(),
                ...(details.addressLine2.trim()
                  ? { addressLine2: details.addressLine2.trim() }
                  : {}),
                ...(details.state.trim() ? { state: details.state.trim() } : {}),
                ...(details.phone.trim() ? { phoneNumber: details.phone.trim() } : {}),
              },
            },
            ...(isProvider && details.resellerId
              ? { associatedPartnerId: details.resellerId }
              : {}),
            ...(withOrders
              ? {
                  subscriptions: orders.map((o) => ({
                    offerId: o.offerId,
                    quantity: o.quantity,
                    ...(reseller?.mpnId ? { associatedResellerMpnId: reseller.mpnId } : {}),
                    ...(o.supportContactId
                      ? { designatedSupportContactId: o.supportContactId }
                      : {}),
                  })),
                  ...(agreement.data
                    ? {
                        customerAgreement: {
                          primaryContact: {
                            firstName: details.firstName.trim(),
                            lastName: details.lastName.trim(),
                            email: details.email.trim(),
                          },
                          dateAgreed: new Date().toISOString(),
                          templateId: agreement.data.templateId,
                          type: 'MicrosoftCustomerAgreement' as const,
                        },
                      }
                    : {}),
                }
              : {}),
          },
        }),
      );
      setCreated(result);
      setStep('done');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.userCredentials.password);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };

  if (step === 'done' && created) {
    return (
      <section aria-labelledby="confirmation-title">
        <Title1 as="h1" id="confirmation-title">
          {t('customers:newCustomer.confirmationTitle')}
        </Title1>
        <MessageBar intent="success">
          <MessageBarBody>
            {t('customers:newCustomer.created', { name: created.billingProfile.companyName })}
          </MessageBarBody>
        </MessageBar>
        <Title2 as="h2">{t('customers:newCustomer.setupInfo')}</Title2>
        <MessageBar intent="warning">
          <MessageBarBody>
            <MessageBarTitle>{t('customers:newCustomer.onceTitle')}</MessageBarTitle>
            <span>{t('customers:newCustomer.once')}</span>
          </MessageBarBody>
        </MessageBar>
        <div className={styles.form}>
          <Field label={t('customers:newCustomer.userName')}>
            <Input readOnly className={styles.secret} value={created.userCredentials.userName} />
          </Field>
          <Field label={t('customers:newCustomer.temporaryPassword')}>
            <Input readOnly className={styles.secret} value={created.userCredentials.password} />
          </Field>
          <Field label={t('customers:fields.domain')}>
            <Input readOnly value={created.companyProfile.domain} />
          </Field>
        </div>
        <div className={styles.row}>
          <Button onClick={() => void copy()}>{t('customers:newCustomer.copyPassword')}</Button>
          <Button appearance="primary" onClick={() => void navigate(`/customers/${created.id}`)}>
            {t('customers:request.done')}
          </Button>
        </div>
        {copied === 'idle' ? null : (
          <MessageBar intent={copied === 'copied' ? 'success' : 'error'}>
            <MessageBarBody>
              {copied === 'copied'
                ? t('customers:newCustomer.passwordCopied')
                : t('customers:newCustomer.copyFailed')}
            </MessageBarBody>
          </MessageBar>
        )}
        <ApiErrorBar title={t('customers:errors.title')} error={error} />
        {created.subscriptions && created.subscriptions.length > 0 ? (
          <>
            <Title2 as="h2">{t('customers:customer.subscriptions')}</Title2>
            <ul>
              {created.subscriptions.map((s) => (
                <li key={s.id}>
                  {t('customers:newCustomer.orderLine', {
                    quantity: Number(s.quantity),
                    name: typeof s.offerName === 'string' ? s.offerName : offerName(s.offerId),
                  })}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    );
  }

  const next = (e: FormEvent, to: Step) => {
    e.preventDefault();
    setError(undefined);
    setStep(to);
  };

  return (
    <section aria-labelledby="new-customer-title">
      <Title1 as="h1" id="new-customer-title">
        {t('customers:newCustomer.title')}
      </Title1>
      <p>{t(`customers:newCustomer.step.${step}`)}</p>
      {step === 'details' ? (
        <form className={styles.form} onSubmit={(e) => next(e, 'subscriptions')}>
          {isProvider ? (
            <Field
              label={t('customers:fields.indirectReseller')}
              hint={t('customers:newCustomer.resellerHint')}
            >
              <Select value={details.resellerId} onChange={set('resellerId')}>
                <option value="">{t('customers:newCustomer.noReseller')}</option>
                {(resellers.data ?? []).map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          <Field label={t('customers:fields.companyName')} required>
            <Input value={details.companyName} onChange={set('companyName')} required />
          </Field>
          <Field
            label={t('customers:newCustomer.domain')}
            hint={t('customers:newCustomer.domainHint')}
            required
            validationState={
              domainState === 'taken' ? 'error' : domainState === 'free' ? 'success' : 'none'
            }
            validationMessage={
              domainState === 'taken'
                ? t('customers:newCustomer.domainTaken')
                : domainState === 'free'
                  ? t('customers:newCustomer.domainFree')
                  : undefined
            }
          >
            <Input value={details.domain} onChange={set('domain')} required />
          </Field>
          <Button
            type="button"
            disabled={!details.domain.trim()}
            onClick={() => void checkDomain()}
          >
            {t('customers:newCustomer.checkDomain')}
          </Button>
          <Title2 as="h2">{t('customers:newCustomer.contact')}</Title2>
          <Field label={t('customers:fields.firstName')} required>
            <Input value={details.firstName} onChange={set('firstName')} required />
          </Field>
          <Field label={t('customers:fields.lastName')} required>
            <Input value={details.lastName} onChange={set('lastName')} required />
          </Field>
          <Field
            label={t('customers:fields.email')}
            hint={t('customers:newCustomer.emailHint')}
            required
          >
            <Input type="email" value={details.email} onChange={set('email')} required />
          </Field>
          <Field label={t('customers:fields.phone')}>
            <Input type="tel" value={details.phone} onChange={set('phone')} />
          </Field>
          <Field label={t('customers:fields.language')}>
            <Select value={details.culture} onChange={set('culture')}>
              <option value="en-US">English</option>
              <option value="ja-JP" lang="ja">
                日本語
              </option>
            </Select>
          </Field>
          <Title2 as="h2">{t('customers:newCustomer.address')}</Title2>
          <Field label={t('customers:fields.addressLine1')} required>
            <Input value={details.addressLine1} onChange={set('addressLine1')} required />
          </Field>
          <Field label={t('customers:fields.addressLine2')}>
            <Input value={details.addressLine2} onChange={set('addressLine2')} />
          </Field>
          <Field label={t('customers:fields.city')} required>
            <Input value={details.city} onChange={set('city')} required />
          </Field>
          <Field label={t('customers:fields.state')}>
            <Input value={details.state} onChange={set('state')} />
          </Field>
          <Field label={t('customers:fields.postalCode')} required>
            <Input value={details.postalCode} onChange={set('postalCode')} required />
          </Field>
          <Field label={t('customers:fields.countryCode')} required>
            <Input value={details.country} maxLength={2} onChange={set('country')} required />
          </Field>
          <ApiErrorBar title={t('customers:errors.title')} error={error ?? resellers.error} />
          <div className={styles.row}>
            <Button type="submit" appearance="primary">
              {t('customers:newCustomer.nextSubscriptions')}
            </Button>
            <Button type="button" onClick={() => void navigate('/customers')}>
              {t('customers:cancel')}
            </Button>
          </div>
        </form>
      ) : null}

      {step === 'subscriptions' ? (
        <form className={styles.form} onSubmit={(e) => next(e, 'review')}>
          <Title2 as="h2">{t('customers:newCustomer.newSubscription')}</Title2>
          {orders.map((o, i) => (
            <fieldset key={i}>
              <legend>{t('customers:newCustomer.subscriptionN', { n: i + 1 })}</legend>
              <Field label={t('customers:fields.offer')} required>
                <Select
                  value={o.offerId}
                  onChange={(_, d) =>
                    setOrders((all) =>
                      all.map((x, j) => (j === i ? { ...x, offerId: d.value } : x)),
                    )
                  }
                >
                  {(offers.data ?? []).map((offer) => (
                    <option key={offer.id} value={offer.id}>
                      {offer.name}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label={t('customers:fields.licenses')} required>
                <SpinButton
                  value={o.quantity}
                  min={1}
                  max={offers.data?.find((x) => x.id === o.offerId)?.maxQuantity ?? 10000}
                  onChange={(_, d) => {
                    const quantity = d.value ?? Number(d.displayValue);
                    if (Number.isInteger(quantity) && quantity > 0) {
                      setOrders((all) => all.map((x, j) => (j === i ? { ...x, quantity } : x)));
                    }
                  }}
                />
              </Field>
              {isProvider ? (
                <Field label={t('customers:fields.supportContact')}>
                  <Select
                    value={o.supportContactId}
                    onChange={(_, d) =>
                      setOrders((all) =>
                        all.map((x, j) => (j === i ? { ...x, supportContactId: d.value } : x)),
                      )
                    }
                  >
                    <option value="">{me?.tenant.name}</option>
                    {reseller ? <option value={reseller.id}>{reseller.name}</option> : null}
                  </Select>
                </Field>
              ) : null}
              {reseller ? (
                <p>
                  {t('customers:newCustomer.resellerOfRecord', {
                    name: reseller.name,
                    mpnId: reseller.mpnId,
                  })}
                </p>
              ) : null}
              <Button
                type="button"
                onClick={() => setOrders((all) => all.filter((_, j) => j !== i))}
              >
                {t('customers:newCustomer.removeSubscription', { n: i + 1 })}
              </Button>
            </fieldset>
          ))}
          <Button
            type="button"
            disabled={!offers.data || offers.data.length === 0}
            onClick={() =>
              setOrders((all) => [
                ...all,
                {
                  offerId: offers.data?.[0]?.id ?? '',
                  quantity: 1,
                  supportContactId: reseller?.id ?? '',
                },
              ])
            }
          >
            {t('customers:newCustomer.addSubscription')}
          </Button>
          {orders.length > 0 ? (
            <>
              <Checkbox
                checked={agreementConfirmed}
                onChange={(_, d) => setAgreementConfirmed(d.checked === true)}
                label={t('customers:newCustomer.agreementConfirm', {
                  version: agreement.data?.version ?? '',
                })}
                required
              />
              {agreement.data ? (
                <Link href={agreement.data.agreementLink} target="_blank" rel="noreferrer">
                  {t('customers:newCustomer.agreementLink')}
                </Link>
              ) : null}
            </>
          ) : null}
          <ApiErrorBar
            title={t('customers:errors.title')}
            error={offers.error ?? agreement.error}
          />
          <div className={styles.row}>
            <Button type="button" onClick={() => setStep('details')}>
              {t('customers:newCustomer.back')}
            </Button>
            <Button
              type="submit"
              appearance="primary"
              disabled={orders.length > 0 && !agreementConfirmed}
            >
              {t('customers:newCustomer.nextReview')}
            </Button>
          </div>
        </form>
      ) : null}

      {step === 'review' ? (
        <div className={styles.form}>
          <Title2 as="h2">{t('customers:newCustomer.review')}</Title2>
          <dl>
            <dt>{t('customers:fields.companyName')}</dt>
            <dd>{details.companyName}</dd>
            <dt>{t('customers:newCustomer.domain')}</dt>
            <dd>{details.domain}</dd>
            <dt>{t('customers:newCustomer.contact')}</dt>
            <dd>
              {details.firstName} {details.lastName} ({details.email})
            </dd>
            <dt>{t('customers:newCustomer.address')}</dt>
            <dd>
              {[
                details.addressLine1,
                details.addressLine2,
                details.city,
                details.state,
                details.postalCode,
                details.country,
              ]
                .filter((x) => x.trim())
                .join(', ')}
            </dd>
            {isProvider ? (
              <>
                <dt>{t('customers:fields.indirectReseller')}</dt>
                <dd>{reseller?.name ?? t('customers:newCustomer.noReseller')}</dd>
              </>
            ) : null}
            <dt>{t('customers:customer.subscriptions')}</dt>
            <dd>
              {orders.length === 0
                ? t('customers:newCustomer.noOrders')
                : orders
                    .map((o) =>
                      t('customers:newCustomer.orderLine', {
                        quantity: o.quantity,
                        name: offerName(o.offerId),
                      }),
                    )
                    .join('; ')}
            </dd>
          </dl>
          <ApiErrorBar title={t('customers:errors.title')} error={error} />
          <div className={styles.row}>
            <Button type="button" onClick={() => setStep('subscriptions')}>
              {t('customers:newCustomer.back')}
            </Button>
            <Button appearance="primary" disabled={busy} onClick={() => void submit()}>
              {t('customers:newCustomer.submit')}
            </Button>
            <Button type="button" onClick={() => void navigate('/customers')}>
              {t('customers:cancel')}
            </Button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
