import {
  Button,
  Checkbox,
  Field,
  Input,
  Link,
  Select,
  SpinButton,
  Spinner,
  Title1,
} from '@fluentui/react-components';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useApi, useSession } from '../api/session-context';
import { ok } from '../app/api-result';
import { ApiErrorBar } from '../app/api-error-bar';
import { loadChannelPartners } from './partners';
import { useCustomersStyles } from './styles';
import { useLoad } from '../app/use-load';

/**
 * Add subscription (seed 002 "Add new subscriptions to customer accounts"): the offer and its
 * number of licenses, for an indirect provider the reseller of record ("select the reseller's
 * name from the list") and the designated support contact. When the customer's acceptance of the
 * Microsoft Customer Agreement is not on record for the partner, the partner confirms it first
 * (`POST /v1/customers/{id}/agreements`; Partner Center 13605).
 */
export function AddSubscriptionPage() {
  const { t } = useTranslation('customers');
  const api = useApi();
  const styles = useCustomersStyles();
  const { me, audience } = useSession();
  const navigate = useNavigate();
  const { customerId = '' } = useParams();
  const isProvider = audience === 'indirect_provider';
  const requestId = useMemo(() => crypto.randomUUID(), []);
  const [offerId, setOfferId] = useState('');
  const [quantity, setQuantity] = useState(1);
  const [friendlyName, setFriendlyName] = useState('');
  const [resellerId, setResellerId] = useState('');
  const [supportContactId, setSupportContactId] = useState('');
  const [confirmAgreement, setConfirmAgreement] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const customer = useLoad(
    () => ok(api.GET('/v1/customers/{id}', { params: { path: { id: customerId } } })),
    customerId,
  );
  const offers = useLoad(() => ok(api.GET('/v1/offers')).then((o) => o.items), 'offers');
  const resellers = useLoad(
    () => (isProvider ? loadChannelPartners(api, 'resellers') : Promise.resolve([])),
    `resellers:${audience}`,
  );
  const agreements = useLoad(
    () =>
      Promise.all([
        ok(
          api.GET('/v1/customers/{id}/agreements', {
            params: { path: { id: customerId } },
          }),
        ),
        ok(
          api.GET('/v1/agreements', {
            params: { query: { agreementType: 'MicrosoftCustomerAgreement' } },
          }),
        ),
      ]).then(([recorded, templates]) => ({
        recorded: recorded.items.length > 0,
        template: templates.items[0],
      })),
    `agreements:${customerId}`,
  );
  const reseller = resellers.data?.find((r) => r.id === resellerId);
  const chosenOffer = offerId || offers.data?.[0]?.id || '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (!agreements.data?.recorded && confirmAgreement && agreements.data?.template) {
        const contact = customer.data?.billingProfile;
        await ok(
          api.POST('/v1/customers/{id}/agreements', {
            params: { path: { id: customerId } },
            body: {
              primaryContact: {
                firstName: contact?.firstName ?? contact?.companyName ?? '',
                lastName: contact?.lastName ?? '',
                email: contact?.email ?? '',
              },
              dateAgreed: new Date().toISOString(),
              templateId: agreements.data.template.templateId,
              type: 'MicrosoftCustomerAgreement',
            },
          }),
        );
      }
      await ok(
        api.POST('/v1/customers/{customerId}/subscriptions', {
          headers: { 'MS-RequestId': requestId },
          params: { path: { customerId } },
          body: {
            offerId: chosenOffer,
            quantity,
            ...(friendlyName.trim() ? { friendlyName: friendlyName.trim() } : {}),
            ...(reseller?.mpnId ? { associatedResellerMpnId: reseller.mpnId } : {}),
            ...(supportContactId ? { designatedSupportContactId: supportContactId } : {}),
          },
        }),
      );
      void navigate(`/customers/${customerId}`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  if (customer.error)
    return <ApiErrorBar title={t('customers:errors.title')} error={customer.error} />;
  if (!customer.data) return <Spinner label={t('customers:loading')} />;
  const needsConfirmation = agreements.data !== undefined && !agreements.data.recorded;

  return (
    <section aria-labelledby="add-subscription-title">
      <Title1 as="h1" id="add-subscription-title">
        {t('customers:subscription.title', { name: customer.data.companyProfile.companyName })}
      </Title1>
      <form className={styles.form} onSubmit={(e) => void submit(e)}>
        <Field label={t('customers:fields.offer')} required>
          <Select value={chosenOffer} onChange={(_, d) => setOfferId(d.value)}>
            {(offers.data ?? []).map((offer) => (
              <option key={offer.id} value={offer.id}>
                {offer.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('customers:fields.licenses')} required>
          <SpinButton
            value={quantity}
            min={1}
            onChange={(_, d) => {
              const value = d.value ?? Number(d.displayValue);
              if (Number.isInteger(value) && value > 0) setQuantity(value);
            }}
          />
        </Field>
        <Field label={t('customers:fields.friendlyName')}>
          <Input
            value={friendlyName}
            maxLength={200}
            onChange={(_, d) => setFriendlyName(d.value)}
          />
        </Field>
        {isProvider ? (
          <>
            <Field
              label={t('customers:fields.resellerMpnId')}
              hint={t('customers:subscription.resellerHint')}
            >
              <Select value={resellerId} onChange={(_, d) => setResellerId(d.value)}>
                <option value="">{t('customers:newCustomer.noReseller')}</option>
                {(resellers.data ?? []).map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} ({r.mpnId})
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t('customers:fields.supportContact')}>
              <Select value={supportContactId} onChange={(_, d) => setSupportContactId(d.value)}>
                <option value="">{me?.tenant.name}</option>
                {(resellers.data ?? []).map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </Select>
            </Field>
          </>
        ) : null}
        {needsConfirmation ? (
          <>
            <Checkbox
              checked={confirmAgreement}
              required
              onChange={(_, d) => setConfirmAgreement(d.checked === true)}
              label={t('customers:newCustomer.agreementConfirm', {
                version: agreements.data?.template?.version ?? '',
              })}
            />
            {agreements.data?.template ? (
              <Link href={agreements.data.template.agreementLink} target="_blank" rel="noreferrer">
                {t('customers:newCustomer.agreementLink')}
              </Link>
            ) : null}
          </>
        ) : null}
        <ApiErrorBar
          title={t('customers:errors.title')}
          error={error ?? offers.error ?? resellers.error ?? agreements.error}
        />
        <div className={styles.row}>
          <Button
            type="submit"
            appearance="primary"
            disabled={busy || !chosenOffer || (needsConfirmation && !confirmAgreement)}
          >
            {t('customers:newCustomer.submit')}
          </Button>
          <Button type="button" onClick={() => void navigate(`/customers/${customerId}`)}>
            {t('customers:cancel')}
          </Button>
        </div>
      </form>
    </section>
  );
}
