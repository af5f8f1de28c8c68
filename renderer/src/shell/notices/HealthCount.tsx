/** The header's count of open incidents nobody acknowledged (warning or worse); opens Health. */
export function HealthCount({ count, onOpen }: { count: number; onOpen: () => void }) {
  if (count === 0) return null;
  const text = `${count.toLocaleString('en')} ${count === 1 ? 'incident needs' : 'incidents need'} attention`;
  return (
    <button
      type="button"
      className="header-incidents"
      data-testid="health-count"
      data-count={count}
      title={`${text}: open, not acknowledged, warning or worse`}
      aria-label={text}
      onClick={onOpen}
    >
      <span className="header-incidents-number">{count.toLocaleString('en')}</span>
      {count === 1 ? 'incident open' : 'incidents open'}
    </button>
  );
}
