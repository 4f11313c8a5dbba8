// One view's failure stays in that view: an exception while rendering it shows what went wrong and a
// "Reload view" button in its place, and the rest of the workbench keeps working.
import { Component, Fragment, type ReactNode } from 'react';
import { visibleText } from '../../../src-preload/contract/outside-values';

interface Props {
  /** The view's name as the user knows it ("Ol-Fi", "Console"). */
  name: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  /** Bumped by "Reload view": the view is mounted afresh, with its state rebuilt from the stores. */
  generation: number;
}

export class ViewErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, generation: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    console.error(`The ${this.props.name} view failed:`, error);
  }

  private readonly reload = () => this.setState((state) => ({ error: null, generation: state.generation + 1 }));

  override render(): ReactNode {
    const { error, generation } = this.state;
    if (!error) return <Fragment key={generation}>{this.props.children}</Fragment>;
    return (
      <section className="view-failed" role="alert" aria-label={`${this.props.name} failed`}>
        <p>
          The {this.props.name} view stopped: <code>{visibleText(error.message || error.name)}</code>
        </p>
        <p className="pkg-dim">The other views keep working. Reloading the view draws it again from the current data.</p>
        <button onClick={this.reload}>Reload view</button>
      </section>
    );
  }
}
