extern alias GatewayService;

using System.Threading.RateLimiting;
using GatewayService::RestMan.Gateway.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace RestMan.UnitTests.Gateway;

/// <summary>The gateway's per-client budget taken in blocks from a shared counter (here in memory) and spent locally.</summary>
[Trait("Category", "Unit")]
public sealed class ClientBudgetTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_new_clients_first_requests_are_counted_one_by_one_then_in_doubling_blocks_up_to_the_cap()
    {
        var clock = new ManualClock();
        var counter = new CountingCounter(new LocalBudgetCounter(clock));
        using var budget = new ClientBudget("203.0.113.1", 1000, Minute, counter, clock, NullLogger.Instance);
        for (var i = 0; i < 1000; i++) (await budget.AcquireAsync()).IsAcquired.ShouldBeTrue();
        counter.Blocks.Take(6).ShouldBe([1, 2, 4, 8, 16, 20]);
        counter.Blocks.ShouldAllBe(b => b <= ClientBudget.MaxBlockFor(1000));
        // 1000 requests cost the counter ~56 takes, not 1000.
        counter.Blocks.Count.ShouldBeLessThan(60);
        var refused = await budget.AcquireAsync();
        refused.IsAcquired.ShouldBeFalse();
        refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).ShouldBeTrue();
        retryAfter.ShouldBe(Minute);
    }

    [Fact]
    public async Task Two_gateways_never_exceed_the_budget_and_lose_at_most_a_block_each_at_the_windows_end()
    {
        var clock = new ManualClock();
        var shared = new LocalBudgetCounter(clock);
        using var one = new ClientBudget("c", 600, Minute, shared, clock, NullLogger.Instance);
        using var two = new ClientBudget("c", 600, Minute, shared, clock, NullLogger.Instance);
        var allowed = 0;
        for (var i = 0; i < 900; i++)
            if ((await (i % 3 == 0 ? one : two).AcquireAsync()).IsAcquired) allowed++;
        allowed.ShouldBeLessThanOrEqualTo(600);
        allowed.ShouldBeGreaterThanOrEqualTo(600 - 2 * ClientBudget.MaxBlockFor(600));
    }

    [Fact]
    public async Task When_the_window_ends_the_stock_left_is_dropped_and_a_new_window_starts_with_one_permit()
    {
        var clock = new ManualClock();
        var counter = new CountingCounter(new LocalBudgetCounter(clock));
        using var budget = new ClientBudget("c", 10, Minute, counter, clock, NullLogger.Instance);
        for (var i = 0; i < 10; i++) (await budget.AcquireAsync()).IsAcquired.ShouldBeTrue();
        (await budget.AcquireAsync()).IsAcquired.ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(30));
        (await budget.AcquireAsync()).TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        retryAfter.ShouldBe(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(30));
        var before = counter.Blocks.Count;
        (await budget.AcquireAsync()).IsAcquired.ShouldBeTrue();
        counter.Blocks.Skip(before).First().ShouldBe(1);
    }

    [Fact]
    public async Task Stock_taken_in_one_window_is_not_spent_in_the_next()
    {
        var clock = new ManualClock();
        var shared = new LocalBudgetCounter(clock);
        using var budget = new ClientBudget("c", 100, Minute, shared, clock, NullLogger.Instance);
        for (var i = 0; i < 3; i++) (await budget.AcquireAsync()).IsAcquired.ShouldBeTrue(); // blocks 1, 2: stock 0
        (await budget.AcquireAsync()).IsAcquired.ShouldBeTrue(); // block 2 (cap 100/50): stock 1 left
        clock.Advance(Minute);
        // The one permit left from the old window is dropped: the new window allows exactly its budget, not one more.
        for (var i = 0; i < 100; i++) (await budget.AcquireAsync()).IsAcquired.ShouldBeTrue();
        (await budget.AcquireAsync()).IsAcquired.ShouldBeFalse();
    }

    [Fact]
    public async Task While_the_shared_counter_fails_the_gateway_counts_alone()
    {
        var clock = new ManualClock();
        using var budget = new ClientBudget("c", 5, Minute, new FailingCounter(), clock, NullLogger.Instance);
        for (var i = 0; i < 5; i++) (await budget.AcquireAsync()).IsAcquired.ShouldBeTrue();
        (await budget.AcquireAsync()).IsAcquired.ShouldBeFalse();
    }

    [Fact]
    public async Task Waiting_requests_share_one_take_in_flight()
    {
        var clock = new ManualClock();
        var slow = new GatedCounter(new LocalBudgetCounter(clock));
        using var budget = new ClientBudget("c", 1000, Minute, slow, clock, NullLogger.Instance);
        var waiting = Enumerable.Range(0, 5).Select(_ => budget.AcquireAsync().AsTask()).ToList();
        slow.Takes.ShouldBe(1);
        slow.Open();
        (await Task.WhenAll(waiting)).ShouldAllBe(l => l.IsAcquired);
        slow.Takes.ShouldBeLessThanOrEqualTo(3); // blocks 1, 2, 4 serve the five
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = TimeSpan.FromDays(1).Ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public override DateTimeOffset GetUtcNow() => new(_ticks, TimeSpan.Zero);
    }

    private sealed class CountingCounter(IBudgetCounter inner) : IBudgetCounter
    {
        public List<int> Blocks { get; } = [];
        public ValueTask<BudgetGrant> TakeAsync(string client, int block, int permits, TimeSpan window)
        {
            Blocks.Add(block);
            return inner.TakeAsync(client, block, permits, window);
        }
    }

    private sealed class FailingCounter : IBudgetCounter
    {
        public ValueTask<BudgetGrant> TakeAsync(string client, int block, int permits, TimeSpan window) =>
            throw new TimeoutException("Redis did not answer");
    }

    private sealed class GatedCounter(IBudgetCounter inner) : IBudgetCounter
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _takes;
        public int Takes => Volatile.Read(ref _takes);
        public void Open() => _open.SetResult();
        public async ValueTask<BudgetGrant> TakeAsync(string client, int block, int permits, TimeSpan window)
        {
            Interlocked.Increment(ref _takes);
            await _open.Task;
            return await inner.TakeAsync(client, block, permits, window);
        }
    }
}
