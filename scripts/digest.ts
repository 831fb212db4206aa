import { OPEN_STATUSES } from '../src/domain/report.ts';
import { buildDigest } from '../src/use-cases/digest.ts';
import { openCore } from './open-core.ts';

/**
 * `npm run digest -- --dry-run` prints today's digest; without `--dry-run` it queues it for every
 * configured triage channel (the running bot delivers it). The once-a-day scheduled digest is not
 * affected.
 */
const { core, close } = await openCore();
const digest = await buildDigest(core);
if (process.argv.includes('--dry-run')) {
  process.stdout.write(`${digest.title}\n${digest.lines.join('\n')}\n`);
} else if (core.triagePlatforms.length === 0) {
  process.stderr.write(
    'No Slack or Discord triage channel is configured; use --dry-run to print the digest.\n',
  );
  process.exitCode = 1;
} else {
  const now = core.now();
  await core.store.transaction(async (repos) => {
    for (const platform of core.triagePlatforms) {
      await repos.outbox.enqueue({
        platform,
        destination: 'triage',
        reportId: null,
        payload: { type: 'digest', digest },
        createdAt: now,
      });
    }
  });
  const open = await core.store.reports.list({ statuses: OPEN_STATUSES, limit: 1 });
  process.stdout.write(
    `Digest queued for ${core.triagePlatforms.join(', ')}${open.length === 0 ? ' (nothing open)' : ''}.\n`,
  );
}
await close();
