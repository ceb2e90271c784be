package org.tsr.store.workqueue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The durable work queue in {@code work_unit}. Workers claim units with {@code FOR UPDATE SKIP LOCKED}, so replicas
 * never block on or take each other's units; a claim is a lease that the worker renews while it works, and a lease
 * that expires makes the unit claimable again. Completing a unit and writing its results happen in one transaction.
 * All times are the database's clock, never a worker's.
 *
 * <p>Longer than 300 lines because the lease protocol is the sum of its statements (claim, renew, complete, fail, the
 * abandoned-unit sweep and the lease check under a row lock): each reads the others' columns, and keeping them in one
 * class lets a reader check that no path changes a unit without holding its lease.
 */
@Service
public class WorkQueue {

    static final int MAX_PAYLOAD_CHARS = 1 << 20;

    private static final String UNIT_COLUMNS = "id, stage, iteration_id, unit_key, payload::text as payload, status,"
            + " attempts, max_attempts, lease_owner, lease_expires_at, last_error, created_at, started_at, finished_at";

    // Units out of attempts whose last lease expired: their worker died on the final attempt.
    private static final String FAIL_ABANDONED = """
            update work_unit w
            set status = 'FAILED', lease_owner = null, lease_expires_at = null, finished_at = now(), updated_at = now(),
                last_error = 'lease of ' || w.lease_owner || ' expired on the last of ' || w.max_attempts || ' attempts'
                             || coalesce('; earlier: ' || w.last_error, '')
            from (select id from work_unit
                  where stage = :stage and status = 'RUNNING' and lease_expires_at < now() and attempts >= max_attempts
                  for update skip locked) abandoned
            where w.id = abandoned.id
            """;

    private static final String CLAIM = """
            update work_unit w
            set status = 'RUNNING', attempts = w.attempts + 1, lease_owner = :owner,
                lease_expires_at = now() + make_interval(secs => :leaseSeconds),
                started_at = coalesce(w.started_at, now()), updated_at = now(),
                last_error = case when w.status = 'RUNNING'
                                  then 'lease of ' || w.lease_owner || ' expired on attempt ' || w.attempts
                                  else w.last_error end
            from (select id from work_unit
                  where stage = :stage
                    and ((status = 'PENDING' and available_at <= now())
                         or (status = 'RUNNING' and lease_expires_at < now() and attempts < max_attempts))
                  order by id
                  limit :limit
                  for update skip locked) claimable
            where w.id = claimable.id
            returning w.id, w.stage, w.iteration_id, w.payload::text as payload, w.lease_owner, w.attempts,
                      w.lease_expires_at
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final WorkQueueProperties properties;
    private final WorkSignals signals;
    private final WorkUnitMeters meters;
    private final JsonMapper json = JsonMapper.builder().build();

    WorkQueue(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            WorkQueueProperties properties,
            WorkSignals signals,
            WorkUnitMeters meters) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.properties = properties;
        this.signals = signals;
        this.meters = meters;
    }

    /** Wake-ups for threads waiting on the queue: new units per stage, and {@link WorkSignals#PROGRESS}. */
    public WorkSignals signals() {
        return signals;
    }

    /** Tells the listeners, when the current transaction commits (at once outside one), that the queue changed. */
    private void announce(String payload) {
        jdbc.sql("select pg_notify('" + WorkSignals.CHANNEL + "', ?)")
                .params(payload)
                .query()
                .singleRow();
    }

    public WorkQueueProperties properties() {
        return properties;
    }

    /**
     * Adds a unit and returns its id. With a unit key already used in the stage, nothing is added and the existing
     * unit's id is returned.
     *
     * @throws InvalidWorkPayloadException if the payload is missing, not JSON or not a JSON object
     */
    public long enqueue(NewWorkUnit unit) {
        validatePayload(unit);
        long id = insert(unit);
        announce(unit.stage().name());
        return id;
    }

    /** Adds all units in one transaction: either every one is enqueued or none is. */
    public List<Long> enqueueAll(List<NewWorkUnit> units) {
        units.forEach(this::validatePayload);
        return transactions.execute(status -> {
            List<Long> ids = units.stream().map(this::insert).toList();
            units.stream().map(unit -> unit.stage().name()).distinct().forEach(this::announce);
            return ids;
        });
    }

    private long insert(NewWorkUnit unit) {
        Optional<Long> inserted = jdbc.sql("""
                        insert into work_unit (stage, iteration_id, unit_key, payload, max_attempts)
                        values (:stage, :iterationId, :unitKey, cast(:payload as jsonb), :maxAttempts)
                        on conflict on constraint work_unit_key_unique do nothing
                        returning id
                        """)
                .param("stage", unit.stage().name())
                .param("iterationId", unit.iterationId())
                .param("unitKey", unit.unitKey())
                .param("payload", unit.payloadJson())
                .param("maxAttempts", unit.maxAttempts())
                .query(Long.class)
                .optional();
        return inserted.orElseGet(() -> jdbc.sql("select id from work_unit where stage = ? and unit_key = ?")
                .params(unit.stage().name(), unit.unitKey())
                .query(Long.class)
                .single());
    }

    /** Claims up to {@code limit} units of a stage for {@code owner}, oldest first, each with a fresh lease. */
    public List<ClaimedUnit> claim(WorkStage stage, String owner, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        int[] abandoned = {0};
        List<ClaimedUnit> claimed = transactions.execute(status -> {
            abandoned[0] = jdbc.sql(FAIL_ABANDONED).param("stage", stage.name()).update();
            return jdbc
                    .sql(CLAIM)
                    .param("stage", stage.name())
                    .param("owner", owner)
                    .param("leaseSeconds", seconds(properties.lease()))
                    .param("limit", limit)
                    .query((rs, n) -> new ClaimedUnit(
                            rs.getLong("id"),
                            WorkStage.valueOf(rs.getString("stage")),
                            (Long) rs.getObject("iteration_id"),
                            rs.getString("payload"),
                            rs.getString("lease_owner"),
                            rs.getInt("attempts"),
                            rs.getTimestamp("lease_expires_at").toInstant()))
                    .list()
                    .stream()
                    .sorted((a, b) -> Long.compare(a.id(), b.id()))
                    .toList();
        });
        meters.abandoned(stage, abandoned[0]);
        return claimed;
    }

    /** Extends the lease by the configured lease time; false if the claim no longer holds the unit. */
    public boolean renew(ClaimedUnit unit) {
        return jdbc.sql("""
                        update work_unit
                        set lease_expires_at = now() + make_interval(secs => :leaseSeconds), updated_at = now()
                        where id = :id and status = 'RUNNING' and lease_owner = :owner and attempts = :attempt
                        """)
                        .param("leaseSeconds", seconds(properties.lease()))
                        .param("id", unit.id())
                        .param("owner", unit.owner())
                        .param("attempt", unit.attempt())
                        .update()
                == 1;
    }

    /**
     * Writes the unit's results and marks it done, in one transaction. Completing a unit that is already done is a
     * no-op that does not write the results again, and returns false.
     *
     * @throws LeaseLostException if another worker holds the unit now, or it was failed; nothing is written
     */
    public boolean complete(ClaimedUnit unit, Runnable writeResults) {
        boolean completed = Boolean.TRUE.equals(transactions.execute(status -> {
            WorkUnit current = lockForUpdate(unit.id());
            if (current.status() == WorkStatus.DONE) {
                return false;
            }
            requireHeldBy(unit, current);
            writeResults.run();
            jdbc.sql("""
                            update work_unit
                            set status = 'DONE', lease_owner = null, lease_expires_at = null, finished_at = now(),
                                updated_at = now()
                            where id = ?
                            """).params(unit.id()).update();
            announce(WorkSignals.PROGRESS);
            return true;
        }));
        if (completed) {
            meters.completed(unit.stage());
        }
        return completed;
    }

    /**
     * Runs a side effect of a unit's work (publishing a checkpoint, failing a job) only while this claim still holds
     * the unit: the row stays locked while it runs, so no other worker can take the unit over in the meantime, and a
     * worker whose lease was lost gets {@link LeaseLostException} and changes nothing.
     */
    public void whileHeld(ClaimedUnit unit, Runnable sideEffect) {
        transactions.executeWithoutResult(status -> {
            requireHeldBy(unit, lockForUpdate(unit.id()));
            sideEffect.run();
        });
    }

    /**
     * Gives the unit one more attempt, for an attempt that only follows work already running elsewhere (a training
     * workload on Kubernetes that a restarted worker re-attached to): a worker that restarts while it follows a long
     * job does not use up the unit's attempts.
     *
     * @return false if this claim no longer holds the unit
     */
    public boolean grantAttempt(ClaimedUnit unit) {
        return jdbc.sql("""
                        update work_unit set max_attempts = max_attempts + 1, updated_at = now()
                        where id = :id and status = 'RUNNING' and lease_owner = :owner and attempts = :attempt
                        """)
                        .param("id", unit.id())
                        .param("owner", unit.owner())
                        .param("attempt", unit.attempt())
                        .update()
                == 1;
    }

    /** Marks the unit done with no results to write. */
    public boolean complete(ClaimedUnit unit) {
        return complete(unit, () -> {});
    }

    /**
     * Records a failed attempt. The unit becomes claimable again after a backoff, or FAILED with this error once it
     * has used all of its attempts.
     *
     * @throws LeaseLostException if the claim no longer holds the unit
     */
    public WorkStatus fail(ClaimedUnit unit, String error) {
        return recordFailure(unit, error, false);
    }

    /** Fails the unit for good, whatever attempts it has left: for errors a retry cannot fix, like a bad payload. */
    public WorkStatus failPermanently(ClaimedUnit unit, String error) {
        return recordFailure(unit, error, true);
    }

    private WorkStatus recordFailure(ClaimedUnit unit, String error, boolean permanent) {
        String message = error == null || error.isBlank() ? "failed without a message" : error;
        WorkStatus now = transactions.execute(status -> {
            WorkUnit current = lockForUpdate(unit.id());
            requireHeldBy(unit, current);
            boolean exhausted = permanent || current.attempts() >= current.maxAttempts();
            if (exhausted) {
                jdbc.sql("""
                                update work_unit
                                set status = 'FAILED', lease_owner = null, lease_expires_at = null, last_error = ?,
                                    finished_at = now(), updated_at = now()
                                where id = ?
                                """).params(message, unit.id()).update();
                announce(WorkSignals.PROGRESS);
                return WorkStatus.FAILED;
            }
            jdbc.sql("""
                            update work_unit
                            set status = 'PENDING', lease_owner = null, lease_expires_at = null, last_error = ?,
                                available_at = now() + make_interval(secs => ?), updated_at = now()
                            where id = ?
                            """)
                    .params(message, seconds(backoffAfter(current.attempts())), unit.id())
                    .update();
            return WorkStatus.PENDING;
        });
        meters.failed(unit.stage(), now);
        return now;
    }

    Duration backoffAfter(int attempts) {
        Duration backoff = properties.retryBackoff().multipliedBy(1L << Math.min(20, Math.max(0, attempts - 1)));
        return backoff.compareTo(properties.maxRetryBackoff()) > 0 ? properties.maxRetryBackoff() : backoff;
    }

    /** Counts a stage's units by state, with one indexed aggregate query. */
    public StageCounts counts(WorkStage stage) {
        return countsWhere("stage = ?", stage.name());
    }

    /** Counts the units of one stage that serve one iteration. */
    public StageCounts counts(WorkStage stage, long iterationId) {
        return countsWhere("stage = ? and iteration_id = ?", stage.name(), iterationId);
    }

    /** Counts the units of an iteration whose unit key starts with {@code keyPrefix}: the units of one phase. */
    public StageCounts countsByKeyPrefix(long iterationId, String keyPrefix) {
        return countsWhere("iteration_id = ? and unit_key like ?", iterationId, likePrefix(keyPrefix));
    }

    /**
     * Gives the FAILED units of an iteration under a key prefix a fresh set of attempts, for a run resumed after its
     * cause was fixed; returns how many.
     */
    public int retryFailed(long iterationId, String keyPrefix) {
        return jdbc.sql("update work_unit set status = 'PENDING', attempts = 0, available_at = now(),"
                        + " finished_at = null, updated_at = now()"
                        + " where iteration_id = ? and unit_key like ? and status = 'FAILED'")
                .params(iterationId, likePrefix(keyPrefix))
                .update();
    }

    /** Ends every unit of an iteration not started yet, for a cancelled run; returns how many. */
    public int cancelPending(long iterationId) {
        return jdbc.sql("update work_unit set status = 'FAILED', last_error = 'cancelled with its run',"
                        + " finished_at = now(), updated_at = now() where iteration_id = ? and status = 'PENDING'")
                .params(iterationId)
                .update();
    }

    /** The first unit of an iteration, under a key prefix, that ended FAILED. */
    public Optional<WorkUnit> firstFailed(long iterationId, String keyPrefix) {
        return jdbc.sql("select " + UNIT_COLUMNS + " from work_unit where iteration_id = ? and unit_key like ?"
                        + " and status = 'FAILED' order by id limit 1")
                .params(iterationId, likePrefix(keyPrefix))
                .query(WorkQueue::mapUnit)
                .optional();
    }

    /** A LIKE pattern matching strings that start with {@code prefix}, its own wildcards escaped. */
    private static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private StageCounts countsWhere(String condition, Object... params) {
        long[] byStatus = new long[WorkStatus.values().length];
        jdbc.sql("select status, count(*) as n from work_unit where " + condition + " group by status")
                .params(params)
                .query(rs -> {
                    byStatus[WorkStatus.valueOf(rs.getString("status")).ordinal()] = rs.getLong("n");
                });
        return new StageCounts(
                byStatus[WorkStatus.PENDING.ordinal()],
                byStatus[WorkStatus.RUNNING.ordinal()],
                byStatus[WorkStatus.DONE.ordinal()],
                byStatus[WorkStatus.FAILED.ordinal()]);
    }

    public Optional<WorkUnit> find(long id) {
        return jdbc.sql("select " + UNIT_COLUMNS + " from work_unit where id = ?")
                .params(id)
                .query(WorkQueue::mapUnit)
                .optional();
    }

    /** The units of a stage that ended FAILED, with their errors, for diagnosis. */
    public List<WorkUnit> failed(WorkStage stage) {
        return new ArrayList<>(
                jdbc.sql("select " + UNIT_COLUMNS + " from work_unit where stage = ? and status = 'FAILED' order by id")
                        .params(stage.name())
                        .query(WorkQueue::mapUnit)
                        .list());
    }

    private WorkUnit lockForUpdate(long id) {
        return jdbc.sql("select " + UNIT_COLUMNS + " from work_unit where id = ? for update")
                .params(id)
                .query(WorkQueue::mapUnit)
                .optional()
                .orElseThrow(() -> new IllegalArgumentException("no work unit with id " + id));
    }

    private static void requireHeldBy(ClaimedUnit unit, WorkUnit current) {
        boolean held = current.status() == WorkStatus.RUNNING
                && unit.owner().equals(current.leaseOwner())
                && unit.attempt() == current.attempts();
        if (!held) {
            String state = current.status() == WorkStatus.RUNNING
                    ? "now leased to " + current.leaseOwner() + " on attempt " + current.attempts()
                    : "now " + current.status();
            throw new LeaseLostException(unit, state);
        }
    }

    private void validatePayload(NewWorkUnit unit) {
        String what = "work unit payload for stage " + unit.stage();
        String payload = unit.payloadJson();
        if (payload == null || payload.isBlank()) {
            throw new InvalidWorkPayloadException(what + " is missing");
        }
        if (payload.length() > MAX_PAYLOAD_CHARS) {
            throw new InvalidWorkPayloadException(what + " has " + payload.length() + " characters, more than the "
                    + MAX_PAYLOAD_CHARS + " allowed; store bulk data in tables and reference it by id");
        }
        JsonNode node;
        try {
            node = json.readTree(payload);
        } catch (JacksonException e) {
            throw new InvalidWorkPayloadException(what + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ", column "
                                    + e.getLocation().getColumnNr() + ")"));
        }
        if (node == null || !node.isObject()) {
            String kind = node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            throw new InvalidWorkPayloadException(what + " must be a JSON object, got " + kind);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static WorkUnit mapUnit(ResultSet rs, int row) throws SQLException {
        return new WorkUnit(
                rs.getLong("id"),
                WorkStage.valueOf(rs.getString("stage")),
                (Long) rs.getObject("iteration_id"),
                rs.getString("unit_key"),
                rs.getString("payload"),
                WorkStatus.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                rs.getString("lease_owner"),
                instant(rs.getTimestamp("lease_expires_at")),
                rs.getString("last_error"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
