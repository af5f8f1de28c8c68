/**
 * One view that throws while drawing (a chart library refusing its input, say) says so in its own
 * tab, with the error and a way to try again, instead of taking the whole console — sidebar,
 * connections, the other views — down to a blank page. Reset when the user picks another view.
 */
import { Component, type ReactNode } from 'react';

interface Props {
  /** The view's name, for the message. */
  view: string;
  children: ReactNode;
}

export class ViewErrorBoundary extends Component<Props, { error: Error | undefined }> {
  override state: { error: Error | undefined } = { error: undefined };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="fatal" role="alert" data-testid="view-error">
        <div className="fatal-title">The {this.props.view} view stopped</div>
        <div className="fatal-message">{error.message}</div>
        <p className="fatal-hint">
          The other views and the connection keep working.{' '}
          <button
            type="button"
            className="button"
            onClick={() => this.setState({ error: undefined })}
          >
            Try again
          </button>
        </p>
      </div>
    );
  }
}
