import { Button, makeStyles, Text, tokens, Toolbar } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { SeekPages } from './use-seek-pages';

const useStyles = makeStyles({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    alignItems: 'end',
  },
});

/**
 * The paging controls of a seek-paged list (`paging` from {@link useSeekPages}, `next` the shown
 * page's `continuationToken`), named `label` for assistive technology. Two forms:
 * - `back="previous"` (the customers area): a navigation landmark with Previous, "Page n" and
 *   Next, always shown;
 * - `back="first"` (the partner area): a toolbar with First and Next, shown once there is more
 *   than one page.
 */
export function Pager({
  paging,
  next,
  label,
  back,
}: {
  paging: SeekPages;
  next: string | null | undefined;
  label: string;
  back: 'previous' | 'first';
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const nextButton = (text: string) => (
    <Button disabled={!next} onClick={() => next && paging.next(next)}>
      {text}
    </Button>
  );
  if (back === 'first') {
    if (paging.page === 1 && !next) return null;
    return (
      <Toolbar aria-label={label}>
        <Button disabled={paging.page === 1} onClick={paging.reset}>
          {t('partner:common.first')}
        </Button>
        {nextButton(t('partner:common.next'))}
      </Toolbar>
    );
  }
  return (
    <nav aria-label={label}>
      <div className={styles.row}>
        <Button disabled={!paging.hasPrevious} onClick={paging.previous}>
          {t('customers:paging.previous')}
        </Button>
        <Text>{t('customers:paging.page', { page: paging.page })}</Text>
        {nextButton(t('customers:paging.next'))}
      </div>
    </nav>
  );
}
