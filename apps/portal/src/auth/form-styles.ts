import { makeStyles, tokens } from '@fluentui/react-components';

/** The layout of the auth pages' forms: one column, labelled fields, actions in a row. */
export const useFormStyles = makeStyles({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    maxWidth: '420px',
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
});
