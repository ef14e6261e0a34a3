import { useEffect, useState } from 'react';
import { useQueueMessages } from './messages';
import './queue.css';

interface WallLane {
  doctorName: string;
  calling: { token: number; initials?: string }[];
  inConsultation: number[];
  next: number[];
}

/**
 * The waiting-room display (/display?key=…): no staff session, read-only, large type. The wall
 * comes over server-sent events; EventSource reconnects by itself when the API restarts, and the
 * first message after a reconnect is the whole wall again.
 */
export function WaitingRoomPage() {
  const t = useQueueMessages();
  const key = new URLSearchParams(window.location.search).get('key') ?? '';
  const [lanes, setLanes] = useState<WallLane[] | null>(null);
  const [lost, setLost] = useState(false);
  const [badKey, setBadKey] = useState(false);

  useEffect(() => {
    const source = new EventSource(`/api/v1/queue-display/stream?key=${encodeURIComponent(key)}`);
    source.addEventListener('wall', (e) => {
      setLanes((JSON.parse((e as MessageEvent<string>).data) as { lanes: WallLane[] }).lanes);
      setLost(false);
      setBadKey(false);
    });
    source.onerror = () => {
      setLost(true);
      // A refused key (404) closes the stream for good; ask once whether that is the reason.
      if (source.readyState === EventSource.CLOSED) {
        void fetch(`/api/v1/queue-display?key=${encodeURIComponent(key)}`).then((r) =>
          setBadKey(r.status === 404),
        );
      }
    };
    return () => source.close();
  }, [key]);

  return (
    <main className="wall" id="main">
      <h1>{t('displayTitle')}</h1>
      {badKey && (
        <p role="alert" className="lost">
          {t('displayBadKey')}
        </p>
      )}
      {lost && !badKey && (
        <p role="status" className="lost">
          {t('displayLost')}
        </p>
      )}
      <div className="wall-lanes" aria-live="polite">
        {(lanes ?? []).map((l) => (
          <section key={l.doctorName} className="wall-lane" aria-label={l.doctorName}>
            <h2>{l.doctorName}</h2>
            {l.calling.map((c) => (
              <p key={c.token} className="wall-calling" data-token={c.token}>
                {c.token}
                {c.initials && <small>{c.initials}</small>}
              </p>
            ))}
            {l.inConsultation.length > 0 && (
              <p className="wall-row">
                {t('consulting')}: {l.inConsultation.join(', ')}
              </p>
            )}
            {l.next.length > 0 && (
              <p className="wall-row">
                {t('next')}: {l.next.join(', ')}
              </p>
            )}
          </section>
        ))}
      </div>
    </main>
  );
}
