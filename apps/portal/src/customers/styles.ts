import { makeStyles, tokens } from '@fluentui/react-components';

/** Layout of the customers area, from Fluent's theme tokens (Griffel, no second CSS framework). */
export const useCustomersStyles = makeStyles({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    maxWidth: '40rem',
    marginBlock: tokens.spacingVerticalM,
  },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    alignItems: 'end',
  },
  draft: {
    whiteSpace: 'pre-wrap',
    fontFamily: tokens.fontFamilyBase,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
  },
  secret: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase400,
  },
  section: {
    marginBlock: tokens.spacingVerticalL,
  },
});
