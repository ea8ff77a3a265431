using Npgsql;
using RestMan.Data;

namespace RestMan.UnitTests.BuildingBlocks;

/// <summary>
/// When a transaction runs again without a database: a race lost on a unique key (look-then-insert work, such as binding
/// a staff account or placing an order under an Idempotency-Key). Real conflicts and outages: RestMan.Tests' TransactionRetryTests.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TransactionRetryRulesTests
{
    private static PostgresException UniqueViolation() => new("duplicate key value", "ERROR", "ERROR", PostgresErrors.UniqueViolation);

    private static Task<T> RunAsync<T>(TransactionRetryPolicy policy, Func<int, T> attempt)
    {
        var tries = 0;
        return TransactionRetryExtensions.RetryAsync(policy, (_, _) => Task.FromResult(attempt(++tries)), CancellationToken.None);
    }

    [Fact]
    public async Task A_lost_race_on_a_unique_key_runs_again_and_finds_the_winners_row()
    {
        var tries = 0;
        var found = await RunAsync(TransactionRetryPolicy.LookThenInsert, attempt =>
        {
            tries = attempt;
            return attempt == 1 ? throw UniqueViolation() : "the winner's row";
        });
        found.ShouldBe("the winner's row");
        tries.ShouldBe(2);
    }

    [Fact]
    public async Task A_race_lost_three_times_is_not_hidden()
    {
        var tries = 0;
        await Should.ThrowAsync<PostgresException>(() => RunAsync<string>(TransactionRetryPolicy.LookThenInsert, attempt =>
        {
            tries = attempt;
            throw UniqueViolation();
        }));
        tries.ShouldBe(3);
    }

    [Fact]
    public async Task By_default_a_unique_violation_surfaces_at_once()
    {
        var tries = 0;
        await Should.ThrowAsync<PostgresException>(() => RunAsync<string>(TransactionRetryPolicy.Default, attempt =>
        {
            tries = attempt;
            throw UniqueViolation();
        }));
        tries.ShouldBe(1);
    }

    [Fact]
    public async Task Other_failures_are_not_retried_as_races()
    {
        var tries = 0;
        await Should.ThrowAsync<InvalidOperationException>(() => RunAsync<string>(TransactionRetryPolicy.LookThenInsert, attempt =>
        {
            tries = attempt;
            throw new InvalidOperationException("the menu changed");
        }));
        tries.ShouldBe(1);
    }
}
