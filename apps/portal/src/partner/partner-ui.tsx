import {
  MessageBar,
  MessageBarBody,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Whether a partner user with `roles` requests, authorizes and removes partnerships: its Global
 * admins and Admin agents (the API's `relationships.manage`; seeds 002 and 004).
 */
export function managesPartnerships(roles: readonly string[] | undefined): boolean {
  return roles?.some((r) => r === 'GlobalAdmin' || r === 'AdminAgent') ?? false;
}

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
