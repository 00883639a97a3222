interface Props {
  theme: 'light' | 'dark';
  sorted: boolean;
  marks: number;
  onToggle: () => void;
}

/** Above a listing: sorts its entries by closeness to the reading list, and back to the page's own order. */
export function ForYouSort({ theme, sorted, marks, onToggle }: Props) {
  return (
    <div class="m-listing m-sortbar" data-theme={theme}>
      <button type="button" class="m-sort" data-testid="foryou-sort" aria-pressed={sorted ? 'true' : 'false'} onClick={onToggle}>
        {sorted ? 'Back to the page’s order' : 'Sort by closeness to your reading list'}
      </button>
      <span class="m-muted">{marks} for you</span>
    </div>
  );
}
