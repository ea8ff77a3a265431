-- The delay sweep's index held every ticket never flagged late: almost every ticket a kitchen ever finished, so each
-- 5 s sweep walked the whole history. Now only tickets still in the kitchen and not yet flagged are in it.
CREATE INDEX IF NOT EXISTS kitchen_tickets_in_kitchen_unflagged_idx ON kitchen.kitchen_tickets (created_at)
    WHERE delayed_at IS NULL AND status IN ('NEW', 'ACCEPTED', 'IN_PROGRESS');
DROP INDEX IF EXISTS kitchen.kitchen_tickets_delay_sweep_idx;
