// The running (or last) install: a progress bar and the live luarocks log.
import { useEffect, useRef } from 'react';
import { progressFraction, usePackages } from '../../stores/packages';

export function InstallJobPanel() {
  const job = usePackages((s) => s.job);
  const logRef = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [job?.log]);
  if (!job) return null;
  const verb = job.action === 'remove' ? 'Removing' : job.action === 'bootstrap' ? 'Bootstrapping' : 'Installing';
  const status = job.phase === 'done' ? 'done' : job.phase === 'failed' ? 'failed' : job.phase;
  return (
    <section className="pkg-job" aria-label="Install progress">
      <div className="pkg-job-title">
        {verb} {job.name} in {job.env}: <strong role="status">{status}</strong>
      </div>
      <progress aria-label={`${verb} ${job.name}`} max={1} value={progressFraction(job)} />
      {job.error && <p className="problem" role="alert">{job.error}</p>}
      <pre ref={logRef} className="pkg-log" aria-label="Install log">{job.log.join('\n')}</pre>
    </section>
  );
}
