using Dapper;
using Npgsql;
using RestMan.Data;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.BuildingBlocks;

[Trait("Category", "BuildingBlocks")]
[Collection("infrastructure")]
public sealed class TransactionRetryTests(InfrastructureFixture infra)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private int _attemptsOfFirst;
    private int _attemptsOfSecond;

    [Fact]
    public async Task A_real_serialization_failure_is_retried_and_the_invariant_holds()
    {
        await using var dataSource = await DataSourceWithTwoCooksOnDutyAsync();
        var (first, second) = StartWriteSkew(dataSource, TransactionRetryPolicy.Default);

        await first;
        await second;

        // Rule: a cook may leave only if another stays. Without the retry both would leave (write skew).
        (await OnDutyAsync(dataSource)).ShouldBe(["bob"]);
        _attemptsOfFirst.ShouldBe(1);
        _attemptsOfSecond.ShouldBeGreaterThanOrEqualTo(2, "the second transaction must really have failed with 40001 and run again");
    }

    [Fact]
    public async Task Without_attempts_left_the_serialization_failure_surfaces_and_nothing_is_written()
    {
        await using var dataSource = await DataSourceWithTwoCooksOnDutyAsync();
        var (first, second) = StartWriteSkew(dataSource, new TransactionRetryPolicy { MaxAttempts = 1 });

        await first;
        var failure = await Should.ThrowAsync<PostgresException>(() => second);

        failure.SqlState.ShouldBe(PostgresErrors.SerializationFailure);
        _attemptsOfSecond.ShouldBe(1);
        (await OnDutyAsync(dataSource)).ShouldBe(["bob"]);
    }

    [Fact]
    public async Task A_transaction_whose_connection_the_database_drops_runs_again_and_writes_once()
    {
        await using var dataSource = NpgsqlDataSource.Create(await infra.CreateDatabaseAsync());
        await using (var setup = await dataSource.OpenConnectionAsync())
            await setup.ExecuteAsync("CREATE TABLE tickets (order_id INT PRIMARY KEY)");

        var attempts = 0;
        await dataSource.InTransactionAsync(async (connection, transaction, ct) =>
        {
            await connection.ExecuteAsync("INSERT INTO tickets VALUES (1)", transaction: transaction);
            if (++attempts == 1)
            {
                // What a fast restart does to every session: terminated by the administrator (57P01), before the commit.
                var pid = await connection.ExecuteScalarAsync<int>("SELECT pg_backend_pid()", transaction: transaction);
                await using var admin = await dataSource.OpenConnectionAsync(ct);
                await admin.ExecuteAsync("SELECT pg_terminate_backend(@pid)", new { pid });
                await connection.ExecuteAsync("SELECT 1", transaction: transaction);
            }
        }, Ct);

        attempts.ShouldBe(2);
        await using var check = await dataSource.OpenConnectionAsync();
        (await check.ExecuteScalarAsync<long>("SELECT count(*) FROM tickets")).ShouldBe(1);
    }

    [Fact]
    public async Task A_real_deadlock_is_retried_and_both_writes_land()
    {
        await using var dataSource = NpgsqlDataSource.Create(await infra.CreateDatabaseAsync());
        await using (var setup = await dataSource.OpenConnectionAsync())
        {
            await setup.ExecuteAsync("""
                CREATE TABLE stock (item TEXT PRIMARY KEY, reserved INT NOT NULL);
                INSERT INTO stock VALUES ('flour', 0), ('sugar', 0);
                """);
        }

        var attempts = 0;
        var firstLocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondLocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Each reserves both items in the opposite order, holding its first lock until the other holds its own.
        Task Reserve(string firstItem, string secondItem, TaskCompletionSource mine, TaskCompletionSource theirs) =>
            dataSource.InTransactionAsync(async (connection, transaction, ct) =>
            {
                Interlocked.Increment(ref attempts);
                await connection.ExecuteAsync("UPDATE stock SET reserved = reserved + 1 WHERE item = @item", new { item = firstItem }, transaction);
                mine.TrySetResult();
                await theirs.Task.WaitAsync(Patience, ct);
                await connection.ExecuteAsync("UPDATE stock SET reserved = reserved + 1 WHERE item = @item", new { item = secondItem }, transaction);
            }, Ct);

        await Task.WhenAll(
            Reserve("flour", "sugar", firstLocked, secondLocked),
            Reserve("sugar", "flour", secondLocked, firstLocked));

        attempts.ShouldBeGreaterThanOrEqualTo(3, "one of the two must have been chosen as the deadlock victim and run again");
        await using var check = await dataSource.OpenConnectionAsync();
        (await check.QueryAsync<int>("SELECT reserved FROM stock ORDER BY item")).ShouldBe([2, 2]);
    }

    [Fact]
    public async Task Errors_other_than_conflicts_are_not_retried()
    {
        await using var dataSource = NpgsqlDataSource.Create(await infra.CreateDatabaseAsync());
        await using (var setup = await dataSource.OpenConnectionAsync())
        {
            await setup.ExecuteAsync("CREATE TABLE bills (order_id UUID PRIMARY KEY)");
        }

        var orderId = Guid.NewGuid();
        var attempts = 0;
        var failure = await Should.ThrowAsync<PostgresException>(() => dataSource.InTransactionAsync(async (connection, transaction, ct) =>
        {
            attempts++;
            await connection.ExecuteAsync("INSERT INTO bills VALUES (@orderId)", new { orderId }, transaction);
            await connection.ExecuteAsync("INSERT INTO bills VALUES (@orderId)", new { orderId }, transaction);
        }, Ct));

        failure.SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
        attempts.ShouldBe(1);
        await using var check = await dataSource.OpenConnectionAsync();
        (await check.ExecuteScalarAsync<long>("SELECT count(*) FROM bills")).ShouldBe(0, "the failed transaction was rolled back");
    }

    [Fact]
    public async Task Work_runs_serializable_and_returns_its_result_on_a_callers_connection()
    {
        await using var dataSource = NpgsqlDataSource.Create(await infra.CreateDatabaseAsync());
        await using var connection = await dataSource.OpenConnectionAsync();

        var isolation = await connection.InTransactionAsync(
            (c, transaction, ct) => c.ExecuteScalarAsync<string>("SHOW transaction_isolation", transaction: transaction), Ct);

        isolation.ShouldBe("serializable");
        connection.State.ShouldBe(System.Data.ConnectionState.Open, "the caller's connection stays the caller's");
    }

    private async Task<NpgsqlDataSource> DataSourceWithTwoCooksOnDutyAsync()
    {
        var dataSource = NpgsqlDataSource.Create(await infra.CreateDatabaseAsync());
        await using var setup = await dataSource.OpenConnectionAsync();
        await setup.ExecuteAsync("""
            CREATE TABLE shifts (cook TEXT PRIMARY KEY, on_duty BOOL NOT NULL);
            INSERT INTO shifts VALUES ('alice', true), ('bob', true);
            """);
        return dataSource;
    }

    /// <summary>
    /// The classic write skew: both read that two cooks are on duty, then each takes a different cook off duty.
    /// The second writes only after the first committed, so SERIALIZABLE must reject its first attempt.
    /// </summary>
    private (Task First, Task Second) StartWriteSkew(NpgsqlDataSource dataSource, TransactionRetryPolicy secondPolicy)
    {
        var firstRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = dataSource.InTransactionAsync(async (connection, transaction, ct) =>
        {
            Interlocked.Increment(ref _attemptsOfFirst);
            var onDuty = await CountOnDutyAsync(connection, transaction);
            firstRead.TrySetResult();
            await secondRead.Task.WaitAsync(Patience, ct);
            if (onDuty >= 2)
            {
                await connection.ExecuteAsync("UPDATE shifts SET on_duty = false WHERE cook = 'alice'", transaction: transaction);
            }
        }, Ct);

        var second = dataSource.InTransactionAsync(secondPolicy, async (connection, transaction, ct) =>
        {
            var attempt = Interlocked.Increment(ref _attemptsOfSecond);
            var onDuty = await CountOnDutyAsync(connection, transaction);
            secondRead.TrySetResult();
            if (attempt == 1)
            {
                await firstRead.Task.WaitAsync(Patience, ct);
                await first.WaitAsync(Patience, ct);
            }

            if (onDuty >= 2)
            {
                await connection.ExecuteAsync("UPDATE shifts SET on_duty = false WHERE cook = 'bob'", transaction: transaction);
            }

            return onDuty;
        }, Ct);

        return (first, second);
    }

    private static Task<long> CountOnDutyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        connection.ExecuteScalarAsync<long>("SELECT count(*) FROM shifts WHERE on_duty", transaction: transaction);

    private static async Task<List<string>> OnDutyAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<string>("SELECT cook FROM shifts WHERE on_duty ORDER BY cook")).ToList();
    }
}
