extern alias OrdersService;

using OrdersService::RestMan.Orders.Infrastructure;

namespace RestMan.UnitTests.Ordering;

/// <summary>The Idempotency-Key rules of order placement: when the key is looked up, a replay or a reuse (a lost race: TransactionRetryRulesTests).</summary>
[Trait("Category", "Unit")]
public sealed class IdempotentPlacementTests
{
    private static readonly EarlierPlacement Winner = new("fingerprint-a", Guid.NewGuid());

    [Fact]
    public void Without_a_key_no_attempt_looks_anything_up()
    {
        var lookFirst = IdempotentPlacement.LookFirst(hasKey: false);
        new[] { lookFirst(), lookFirst(), lookFirst() }.ShouldBe([false, false, false]);
    }

    [Fact]
    public void The_first_try_trusts_the_callers_lookup_and_every_later_one_looks_again()
    {
        // A serialization retry or a lost race on the key runs the transaction again: that attempt must look.
        var lookFirst = IdempotentPlacement.LookFirst(hasKey: true);
        new[] { lookFirst(), lookFirst(), lookFirst() }.ShouldBe([false, true, true]);
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
