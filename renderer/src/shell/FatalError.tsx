/** In place of the overview when the connection cannot work until the user does something. */
export function FatalError({ message }: { message: string }) {
  const unauthorized = message.startsWith('unauthorized');
  return (
    <div className="fatal" role="alert">
      <div className="fatal-title">{unauthorized ? 'Access denied' : 'Not connected'}</div>
      <div className="fatal-message">{message}</div>
      {unauthorized ? (
        <p className="fatal-hint">
          The collector refused this console’s token. Open the exact URL that{' '}
          <code>osprey serve</code> printed: it carries the running collector’s token, which is new
          on every start unless <code>--token</code> is given.
        </p>
      ) : (
        <p className="fatal-hint">
          Osprey does not retry this on its own: fix the cause, then reload.
        </p>
      )}
    </div>
  );
}
