interface Props {
  on: boolean;
  busy?: boolean;
  onToggle: (on: boolean) => void;
  label?: string;
  compact?: boolean;
}

/** Pressed: the paper is a negative example for the for-you ranking (the reading list is never touched). */
export function NotInterestedToggle({ on, busy, onToggle, label, compact }: Props) {
  return (
    <button
      type="button"
      class="m-ni"
      data-testid="not-interested"
      aria-pressed={on ? 'true' : 'false'}
      aria-label={label ? `Not interested in ${label}` : undefined}
      title="Not interested (rank papers like this lower)"
      disabled={busy}
      onClick={() => onToggle(!on)}
    >
      {compact ? '⊘' : '⊘ Not interested'}
    </button>
  );
}
