import {
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Toolbar,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { apiErrorMessage } from '../api/api-error';

export const usePartnerStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
  form: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalM,
    maxWidth: '40rem',
  },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalS,
    alignItems: 'flex-end',
  },
  fieldset: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalM,
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(10rem, max-content) 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
  },
  term: { fontWeight: tokens.fontWeightSemibold },
  wrap: { overflowWrap: 'anywhere' },
  detail: { margin: 0 },
  pre: {
    whiteSpace: 'pre-wrap',
    fontFamily: tokens.fontFamilyBase,
    backgroundColor: tokens.colorNeutralBackground2,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    margin: 0,
  },
});

/** The error of an API call (or a failed load) in the current language, announced. */
export function ErrorBar({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>{apiErrorMessage(t, error)}</MessageBarBody>
    </MessageBar>
  );
}

/** A success message, announced politely. */
export function DoneBar({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <MessageBar intent="success" role="status">
      <MessageBarBody>{children}</MessageBarBody>
    </MessageBar>
  );
}

/** A spinner while loading, labelled with `common:loading`. */
export function Loading({ when }: { when: boolean }) {
  const { t } = useTranslation();
  return when ? <Spinner size="tiny" label={t('common:loading')} /> : null;
}

/** First / next page buttons of a keyset list. */
export function Pager(props: {
  page: number;
  next?: string;
  onNext(token: string): void;
  onFirst(): void;
  label: string;
}) {
  const { t } = useTranslation('partner');
  const { next } = props;
  if (props.page === 1 && !next) return null;
  return (
    <Toolbar aria-label={props.label}>
      <Button disabled={props.page === 1} onClick={props.onFirst}>
        {t('partner:common.first')}
      </Button>
      <Button disabled={!next} onClick={() => next && props.onNext(next)}>
        {t('partner:common.next')}
      </Button>
    </Toolbar>
  );
}
