/** How many due rows waiting behind a later head one claim moves out of the way. */
const HOLD_LIMIT = 500;
/**
 * How many of the earliest due rows one claim looks at for rows to move: the ones the claim's own walk
 * meets first. Looking at every due row would make each claim cost as much as the whole backlog.
 */
const HOLD_SCAN = 200;

/**
 * Claims due rows that head their ordering key, in the order they came due. Candidates come from
 * `outbox_due_idx` (pending, by next_attempt_at); "heads its key" is one probe of `outbox_ordering_idx`
 * per candidate, so the cost follows what is due, not the whole backlog.
 *
 * The same statement moves rows that are due but wait behind a head due later (a paced post's slot, a
 * retry) to that head's time: otherwise every claim would scan them again until the head goes. It
 * looks for them among the earliest due rows only, where the claim's walk would meet them.
 *
 * Parameters: $1 worker, $2 now, $3 lease end, $4 limit, $5 platforms (text[]).
 */
export const CLAIM_DUE = `
  with due as (
    select o.id from outbox o
    where o.state = 'pending' and o.next_attempt_at <= $2::timestamptz
      and o.platform = any($5::text[])
      and (o.claimed_by is null or o.lease_until < $2::timestamptz)
      and not exists (
        select 1 from outbox p
        where p.ordering_key = o.ordering_key and p.id < o.id and p.state <> 'delivered'
      )
    order by o.next_attempt_at, o.id
    limit $4::int
    for update of o skip locked
  ),
  front as (
    select c.id from outbox c
    where c.state = 'pending' and c.next_attempt_at <= $2::timestamptz and c.claimed_by is null
    order by c.next_attempt_at, c.id
    limit ${HOLD_SCAN}
  ),
  waiting as (
    select b.id, h.next_attempt_at from outbox b
    cross join lateral (
      select p.state, p.next_attempt_at from outbox p
      where p.ordering_key = b.ordering_key and p.state <> 'delivered'
      order by p.ordering_key, p.id
      limit 1
    ) h
    where b.id = any(array(select id from front))
      and b.state = 'pending' and b.next_attempt_at <= $2::timestamptz and b.claimed_by is null
      and h.state = 'pending' and h.next_attempt_at > $2::timestamptz
    limit ${HOLD_LIMIT}
    for update of b skip locked
  ),
  held as (
    update outbox set next_attempt_at = (select w.next_attempt_at from waiting w where w.id = outbox.id)
    where outbox.id = any(array(select id from waiting))
      and outbox.state = 'pending' and outbox.claimed_by is null
  )
  update outbox set claimed_by = $1::text, lease_until = $3::timestamptz, attempts = attempts + 1
  where outbox.id = any(array(select id from due))
    -- Checked again here: when another worker claimed the row after this statement's snapshot,
    -- PostgreSQL re-evaluates these on the row's latest version, so it is never claimed twice.
    and outbox.state = 'pending' and outbox.next_attempt_at <= $2::timestamptz
    and (outbox.claimed_by is null or outbox.lease_until < $2::timestamptz)
  returning outbox.*`;
