/**
 * The load generator, in its own process. Two modes, both sending correctly signed Slack requests
 * (a fresh timestamp and HMAC per request) through the real HTTP path:
 * - `closed`: autocannon with N connections, each sending its next request when the previous one is
 *   answered, for a fixed number of requests (so every request sent is also answered and counted);
 * - `paced`: an open-loop client that sends at a fixed rate whatever the answers, recording each
 *   request's send time on the shared monotonic clock (bench/lib/clock.ts) so the orchestrator can
 *   join it with the fake Slack API's arrival times.
 * Latencies are kept as floats from both (autocannon's own histogram rounds to whole milliseconds).
 */
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { monoMs } from './lib/clock.ts';
import { serveIpc } from './lib/proc.ts';
import {
  type ClickTarget,
  intakeTemplate,
  reportVulnCommand,
  SEVERITY_CHOICES,
  severityClick,
  signed,
} from './lib/requests.ts';
import { type Summary, summarize } from './lib/stats.ts';

export type LoadKind = 'intake' | 'command' | 'click';

export interface LoadJob {
  readonly mode: 'closed' | 'paced';
  readonly kind: LoadKind;
  /** e.g. http://127.0.0.1:3000/slack/events */
  readonly url: string;
  readonly secret: string;
  /** Makes view IDs, trigger IDs and reporters unique to this job. */
  readonly tag: string;
  /** Where the bot should post `respond()` answers (the fake's /response/ path). */
  readonly responseUrl: string;
  /** Closed mode. */
  readonly connections?: number;
  /** Requests to send (both modes). */
  readonly count: number;
  /** Paced mode: requests per second. */
  readonly rate?: number;
  /** Clicks: the cards to click, round-robin; `seqStart` continues the alternation across jobs. */
  readonly targets?: readonly ClickTarget[];
  readonly seqStart?: number;
}

export interface SentRequest {
  readonly key: string;
  readonly sendAt: number;
  readonly latencyMs: number;
  readonly status: number;
}

export interface LoadResult {
  readonly job: Omit<LoadJob, 'targets'>;
  readonly sent: number;
  readonly completed: number;
  readonly durationMs: number;
  readonly status: Record<string, number>;
  readonly errors: number;
  readonly timeouts: number;
  /** Latency of 2xx answers, milliseconds. */
  readonly latency: Summary;
  /** Intake answers by kind: `update` (stored, confirmation shown), `errors` (refused), `empty`. */
  readonly bodies: Record<string, number>;
  /** Paced mode: every request, for joins with the fake's arrivals. */
  readonly requests?: SentRequest[];
  /** Paced mode: how late the client sent against its schedule. */
  readonly scheduleLag?: Summary;
}

interface Built {
  readonly key: string;
  readonly body: string;
}

const builderFor = (job: LoadJob): ((seq: number) => Built) => {
  switch (job.kind) {
    case 'intake': {
      const template = intakeTemplate(job.tag);
      return (seq) => ({ key: String(seq), body: template(seq) });
    }
    case 'command':
      return (seq) => {
        const key = `bench.${job.tag}.${seq}`;
        return { key, body: reportVulnCommand(key, `${job.responseUrl}${key}`, `UC${seq % 1000}`) };
      };
    case 'click': {
      const targets = job.targets ?? [];
      if (targets.length === 0) throw new Error('click job without targets');
      const epoch = Math.floor(Date.now() / 1000);
      return (seq) => {
        const target = targets[seq % targets.length] as ClickTarget;
        const round = Math.floor(seq / targets.length);
        const choice = SEVERITY_CHOICES[round % SEVERITY_CHOICES.length] ?? SEVERITY_CHOICES[0];
        const actionTs = `${epoch}.${String(seq).padStart(6, '0')}`;
        return {
          key: target.messageTs,
          body: severityClick(target, choice, actionTs, `${job.responseUrl}click-${seq}`),
        };
      };
    }
  }
};

const bodyKind = (body: string): string => {
  if (body === '') return 'empty';
  if (body.includes('"response_action":"update"')) return 'update';
  if (body.includes('"response_action":"errors"')) return 'errors';
  return 'other';
};

const tally = (map: Record<string, number>, key: string) => {
  map[key] = (map[key] ?? 0) + 1;
};

const runClosed = async (job: LoadJob): Promise<LoadResult> => {
  const build = builderFor(job);
  let seq = job.seqStart ?? 0;
  const latencies: number[] = [];
  const status: Record<string, number> = {};
  const bodies: Record<string, number> = {};
  const target = new URL(job.url);
  const started = monoMs();
  const instance = autocannon({
    url: target.origin,
    connections: job.connections ?? 10,
    amount: job.count,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: target.pathname,
        setupRequest: (req) => {
          const built = build(seq++);
          const { headers, body } = signed(job.secret, built.body);
          return { ...req, headers, body };
        },
        onResponse: (_status, body) => tally(bodies, bodyKind(body)),
      },
    ],
  });
  // autocannon settles on its once-a-second tick, so the run ends at the last answer, not at that tick.
  let lastAnswerAt = started;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    lastAnswerAt = monoMs();
    tally(status, String(statusCode));
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  const durationMs = lastAnswerAt - started;
  return {
    job: { ...job, targets: undefined } as Omit<LoadJob, 'targets'>,
    sent: job.count,
    completed: Object.values(status).reduce((sum, n) => sum + n, 0),
    durationMs,
    status,
    errors: result.errors,
    timeouts: result.timeouts,
    latency: summarize(latencies),
    bodies,
  };
};

const runPaced = async (job: LoadJob): Promise<LoadResult> => {
  const build = builderFor(job);
  const rate = job.rate ?? 100;
  const target = new URL(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  const status: Record<string, number> = {};
  const bodies: Record<string, number> = {};
  const requests: SentRequest[] = [];
  const lags: number[] = [];
  let errors = 0;
  let timeouts = 0;
  let outstanding = 0;
  let allSent = false;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const fire = (seq: number) => {
    const built = build(seq);
    const { headers, body } = signed(job.secret, built.body);
    outstanding += 1;
    const sendAt = monoMs();
    let settled = false;
    const done = (code: number, answer: string) => {
      if (settled) return;
      settled = true;
      const latencyMs = monoMs() - sendAt;
      tally(status, String(code));
      if (code !== 0) tally(bodies, bodyKind(answer));
      requests.push({ key: built.key, sendAt, latencyMs, status: code });
      outstanding -= 1;
      if (allSent && outstanding === 0) finish();
    };
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let answer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          answer += chunk;
        });
        res.on('end', () => done(res.statusCode ?? 0, answer));
      },
    );
    req.setTimeout(10_000, () => {
      timeouts += 1;
      req.destroy(new Error('timeout'));
    });
    req.on('error', () => {
      errors += 1;
      done(0, '');
    });
    req.end(body);
  };

  const first = job.seqStart ?? 0;
  const interval = 1000 / rate;
  const started = monoMs();
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = monoMs();
      while (next < job.count && started + next * interval <= now) {
        lags.push(now - (started + next * interval));
        fire(first + next);
        next += 1;
      }
      if (next >= job.count) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, started + next * interval - monoMs()));
    };
    tick();
  });
  allSent = true;
  if (outstanding > 0) await finished;
  const durationMs = monoMs() - started;
  agent.destroy();
  return {
    job: { ...job, targets: undefined } as Omit<LoadJob, 'targets'>,
    sent: job.count,
    completed: requests.filter((r) => r.status !== 0).length,
    durationMs,
    status,
    errors,
    timeouts,
    latency: summarize(requests.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.latencyMs)),
    bodies,
    requests,
    scheduleLag: summarize(lags),
  };
};

serveIpc({
  run: (message) => {
    const job = message.job as LoadJob;
    return job.mode === 'closed' ? runClosed(job) : runPaced(job);
  },
});
process.stdout.write('{"load":"ready"}\n');
