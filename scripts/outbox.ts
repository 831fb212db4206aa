import { deliveryHealth, healthLines } from '../src/use-cases/delivery-health.ts';
import { openCore } from './open-core.ts';

/**
 * `npm run outbox` shows the delivery backlog and undeliverable messages;
 * `npm run outbox -- retry [ID|all]` re-queues them once the cause is fixed.
 */
const [command = 'status', target = 'all'] = process.argv.slice(2);
const { core, close } = await openCore();
if (command === 'status') {
  process.stdout.write(`${healthLines(await deliveryHealth(core), core.now()).join('\n')}\n`);
} else if (command === 'retry') {
  const id = target === 'all' ? undefined : Number(target);
  if (id !== undefined && !Number.isInteger(id)) {
    process.stderr.write(`"${target}" is not an outbox message ID.\n`);
    process.exitCode = 1;
  } else {
    const count = await core.store.outbox.requeueFailed(core.now(), id);
    process.stdout.write(`Re-queued ${count} message${count === 1 ? '' : 's'}.\n`);
  }
} else {
  process.stderr.write('Usage: npm run outbox -- [status | retry [ID|all]]\n');
  process.exitCode = 1;
}
await close();
