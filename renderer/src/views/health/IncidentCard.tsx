/**
 * One incident: what happened to which device on which node and since when, the evidence with its
 * times, the likely cause and impact, the advice (bucket, summary, steps to copy), the catalog
 * entry, and what it did to the engines on that node. Acknowledge / Resolve / Reopen set the
 * connection's marks (HealthMarks). Every text is a React text node: nothing from the wire is HTML.
 */
import { forwardRef } from 'react';

import { CopyStep } from './CopyStep.js';
import { ImpactTable } from './ImpactTable.js';
import type { DiagnosisView } from './diagnosisView.js';
import type { IncidentView } from './prepareHealth.js';

export interface IncidentCardProps {
  incident: IncidentView;
  focused: boolean;
  onMark: (ids: readonly string[], state: 'acknowledged' | 'resolved' | 'open') => void;
}

export const IncidentCard = forwardRef<HTMLElement, IncidentCardProps>(function IncidentCard(
  { incident: i, focused, onMark },
  ref,
) {
  const titleId = `incident-title-${i.ids[0] ?? i.key}`;
  return (
    <article
      ref={ref}
      className={`health-incident severity-${i.severity} state-${i.state}${focused ? ' focused' : ''}`}
      aria-labelledby={titleId}
      data-testid="health-incident"
      data-incident={i.key}
      data-node={i.node}
      data-device={i.deviceId}
      data-state={i.state}
      data-severity={i.severity}
    >
      <header className="incident-head">
        <span className={`severity-pill severity-${i.severity}`}>{i.severityWord}</span>
        <h3 id={titleId} className="incident-title">
          {i.title}
        </h3>
        <span className="incident-where">
          {/* A node-wide incident (an NVSwitch, every GPU) is named by its node alone. */}
          {i.deviceId !== '' ? (
            <>
              <span className="incident-device">{i.device}</span> on{' '}
            </>
          ) : (
            'node '
          )}
          <span className="incident-node">{i.node}</span>
        </span>
        <div className="spacer" />
        <span className={`incident-state state-${i.state}`} data-testid="incident-state">
          {i.stateWord}
        </span>
      </header>
      <div className="incident-meta">
        <span>
          since <time dateTime={i.sinceIso}>{i.since}</time> ({i.age})
        </span>
        {i.latest ? <span>{i.latest}</span> : null}
        {i.cleared ? <span data-testid="incident-cleared">{i.cleared}</span> : null}
        <span>{i.countText}</span>
      </div>
      <p className="incident-sentence" data-testid="incident-impact-sentence">
        {i.impact.sentence}
      </p>
      {i.diagnoses.map((d) => (
        <DiagnosisBlock key={d.id} d={d} nested={i.diagnoses.length > 1} />
      ))}
      {i.impact.engines.length > 0 ? (
        <section className="incident-section" aria-label="Impact on inference">
          <h4>Impact on inference</h4>
          <ImpactTable rows={i.impact.engines} />
        </section>
      ) : null}
      <footer className="incident-actions">
        {i.state === 'open' ? (
          <button type="button" className="button" onClick={() => onMark(i.ids, 'acknowledged')}>
            Acknowledge
          </button>
        ) : null}
        {i.state !== 'resolved' ? (
          <button type="button" className="button" onClick={() => onMark(i.ids, 'resolved')}>
            Resolve
          </button>
        ) : null}
        {i.state !== 'open' ? (
          <button type="button" className="button" onClick={() => onMark(i.ids, 'open')}>
            Reopen
          </button>
        ) : null}
      </footer>
    </article>
  );
});

function DiagnosisBlock({ d, nested }: { d: DiagnosisView; nested: boolean }) {
  return (
    <div
      className="incident-diagnosis"
      data-testid="health-diagnosis"
      data-diagnosis={d.id}
      data-code={d.code}
    >
      {nested ? (
        <div className="diagnosis-head">
          <span className={`severity-word severity-${d.severity}`}>{d.severityWord}</span>
          <span className="diagnosis-title">{d.title}</span>
          {d.code ? <span className="diagnosis-code">{d.code}</span> : null}
          <span className="diagnosis-count">{d.countText}</span>
        </div>
      ) : d.code ? (
        <div className="diagnosis-head">
          <span className="diagnosis-code">{d.code}</span>
        </div>
      ) : null}
      <div className="incident-columns">
        <section className="incident-section" aria-label="What happened">
          <h4>Likely cause</h4>
          <p>{d.cause}</p>
          <h4>Impact</h4>
          <p>{d.impact}</p>
          <h4>Evidence</h4>
          <ul className="evidence-list">
            {d.evidence.map((e, k) => (
              <li key={k}>
                {e.time ? (
                  <time dateTime={e.iso}>{e.time}</time>
                ) : (
                  <span className="no-time" title="The line carries no time of its own">
                    —
                  </span>
                )}
                <span className="evidence-source">{e.source}</span>
                <code className="evidence-text">{e.text}</code>
              </li>
            ))}
          </ul>
        </section>
        <section
          className="incident-section advice"
          aria-label="What to do"
          data-testid="health-advice"
        >
          <h4>What to do</h4>
          <p className="advice-line">
            <span className="advice-bucket" data-testid="advice-bucket">
              {d.advice.bucket}
            </span>
            <span className="advice-summary" data-testid="advice-summary">
              {d.advice.summary}
            </span>
          </p>
          {d.advice.steps.length > 0 ? (
            <ol className="advice-steps">
              {d.advice.steps.map((s, k) => (
                <CopyStep key={k} parts={s} />
              ))}
            </ol>
          ) : null}
          <p className="advice-ref" data-testid="advice-ref">
            Reference:{' '}
            {d.ref.url ? (
              // The platform opens http(s) links outside the app (electron/main/navigation.ts).
              <a href={d.ref.url} target="_blank" rel="noopener noreferrer">
                {d.ref.text}
              </a>
            ) : (
              d.ref.text
            )}
          </p>
        </section>
      </div>
    </div>
  );
}
