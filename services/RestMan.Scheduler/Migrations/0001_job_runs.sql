-- One row per (job, time slot): the instance that inserts it first runs that slot, any other skips it.
CREATE TABLE IF NOT EXISTS scheduler.job_runs (
    job          VARCHAR(100) NOT NULL,
    slot         TIMESTAMPTZ NOT NULL,
    instance     VARCHAR(200) NOT NULL,
    claimed_at   TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ NULL,
    affected     INT8 NULL,
    error        TEXT NULL,
    PRIMARY KEY (job, slot)
);
