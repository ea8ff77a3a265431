extern alias OrdersService;

using Npgsql;
using OrdersService::RestMan.Orders.Infrastructure;

namespace RestMan.UnitTests.Ordering;

/// <summary>The Idempotency-Key rules of order placement: when the key is looked up, a lost race, a replay or a reuse.</summary>
[Trait("Category", "Unit")]
public sealed class IdempotentPlacementTests
{
    private static readonly EarlierPlacement Winner = new("fingerprint-a", Guid.NewGuid());

    private static PostgresException UniqueViolation() => new("duplicate key value", "ERROR", "ERROR", "23505");

    [Fact]
    public async Task Without_a_key_the_placement_runs_once_and_never_looks_anything_up()
    {
        var lookups = new List<bool>();
        var earlier = await IdempotentPlacement.RunRaceSafeAsync(hasKey: false, lookFirst =>
        {
            lookups.Add(lookFirst());
            return Task.FromResult<EarlierPlacement?>(null);
        });
        earlier.ShouldBeNull();
        lookups.ShouldBe([false]);
    }

    [Fact]
    public async Task The_first_try_trusts_the_callers_lookup_and_every_later_one_looks_again()
    {
        // A serialization retry of the transaction calls lookFirst again: that attempt must look.
        var lookups = new List<bool>();
        await IdempotentPlacement.RunRaceSafeAsync(hasKey: true, lookFirst =>
        {
            lookups.Add(lookFirst());
            lookups.Add(lookFirst());
            return Task.FromResult<EarlierPlacement?>(null);
        });
        lookups.ShouldBe([false, true]);
    }

    [Fact]
    public async Task A_lost_race_on_the_key_runs_again_and_replays_the_winner()
    {
        var tries = 0;
        var earlier = await IdempotentPlacement.RunRaceSafeAsync(hasKey: true, lookFirst =>
        {
            tries++;
            if (!lookFirst()) throw UniqueViolation();
            return Task.FromResult<EarlierPlacement?>(Winner);
        });
        earlier.ShouldBe(Winner);
        tries.ShouldBe(2);
    }

    [Fact]
    public async Task A_race_lost_three_times_is_not_hidden()
    {
        var tries = 0;
        await Should.ThrowAsync<PostgresException>(() => IdempotentPlacement.RunRaceSafeAsync(hasKey: true, _ =>
        {
            tries++;
            throw UniqueViolation();
        }));
        tries.ShouldBe(3);
    }

    [Fact]
    public async Task Other_failures_are_not_retried_here()
    {
        var tries = 0;
        await Should.ThrowAsync<InvalidOperationException>(() => IdempotentPlacement.RunRaceSafeAsync(hasKey: true, _ =>
        {
            tries++;
            throw new InvalidOperationException("the menu changed");
        }));
        tries.ShouldBe(1);
    }

    [Fact]
    public void The_same_request_replays_the_first_order_and_another_one_under_the_same_key_is_refused()
    {
        var customer = Guid.NewGuid();
        PlacementOutcome.Of(Winner, new IdempotencyKey(customer, "k-1", "fingerprint-a"))
            .ShouldBe(new PlacementOutcome.Replayed(Winner.OrderId));
        PlacementOutcome.Of(Winner, new IdempotencyKey(customer, "k-1", "fingerprint-b"))
            .ShouldBeOfType<PlacementOutcome.KeyReused>();
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("order-2026-12-04T16:30:00Z#1", true)]
    [InlineData("", false)]
    [InlineData("with space", false)]
    [InlineData("tab\there", false)]
    [InlineData("naïve", false)]
    public void A_key_is_1_to_255_visible_ascii_characters(string key, bool valid) =>
        IdempotencyKey.IsValid(key).ShouldBe(valid);

    [Fact]
    public void A_key_longer_than_255_characters_is_refused()
    {
        IdempotencyKey.IsValid(new string('k', 255)).ShouldBeTrue();
        IdempotencyKey.IsValid(new string('k', 256)).ShouldBeFalse();
    }
}
