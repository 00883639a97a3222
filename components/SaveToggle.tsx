interface Props {
  saved: boolean;
  busy?: boolean;
  onToggle: (saved: boolean) => void;
  compact?: boolean;
  label?: string;
}

/** A toggle that shows its state: pressed means "in your reading list". */
export function SaveToggle({ saved, busy, onToggle, compact, label }: Props) {
  const text = saved ? (compact ? '★ Saved' : '★ Saved to reading list') : compact ? '☆ Save' : '☆ Save to reading list';
  return (
    <button
      type="button"
      class={saved ? 'm-save m-save-on' : 'm-save'}
      data-testid="save-toggle"
      aria-pressed={saved ? 'true' : 'false'}
      aria-label={label ? `${saved ? 'Remove' : 'Save'} ${label}` : undefined}
      disabled={busy}
      onClick={() => onToggle(!saved)}
    >
      {text}
    </button>
  );
}
