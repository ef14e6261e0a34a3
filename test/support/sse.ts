import http from 'node:http';

export interface EventStream {
  /** The next event of this name not yet taken (waits for it; the jest timeout bounds the wait). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test data read field by field
  next(event: string): Promise<any>;
  /** Every event of this name received so far, taken or not. */
  received(event: string): unknown[];
  close(): void;
}

/** A minimal text/event-stream reader over node:http (tests only). Rejects on a non-200 answer. */
export function openEventStream(url: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const all: { event: string; data: unknown }[] = [];
    const taken = new Map<string, number>();
    const waiters: (() => void)[] = [];
    let buffer = '';
    const req = http.get(url, { headers: { Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`event stream answered ${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) all.push({ event, data: JSON.parse(data.join('\n')) });
        }
        for (const w of waiters.splice(0)) w();
      });
      resolve({
        next(event) {
          return new Promise((done) => {
            const attempt = () => {
              const seen = taken.get(event) ?? 0;
              const matching = all.filter((e) => e.event === event);
              if (matching.length > seen) {
                taken.set(event, seen + 1);
                done(matching[seen].data);
              } else waiters.push(attempt);
            };
            attempt();
          });
        },
        received: (event) => all.filter((e) => e.event === event).map((e) => e.data),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
