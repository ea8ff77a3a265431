using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using Xunit.Abstractions;
using static RestMan.Tests.Inventory.InventoryFlow;

namespace RestMan.Tests.Inventory;

/// <summary>
/// The fault suite's Inventory phase: a steady stream of customers ordering while the owner completes and cancels some
/// of the orders, and Inventory is SIGKILLed twice — once while it follows the stream, once while it works off what
/// piled up while it was dead. Afterwards the store room must show, from the test's own record of what was placed,
/// completed and cancelled, each line reserved once and released or consumed once, to the gram; and ordering never
/// noticed Inventory was gone.
/// </summary>
[Trait("Category", "Faults")]
[Collection(ApplicationCollection.Name)]
public sealed class InventoryFaultTests(ApplicationFixture fixture, ITestOutputHelper output)
{
    /// <summary>10 t of each: the stream can never sell a food out.</summary>
    private const decimal Opening = 10_000_000m;
    private const string Completed = "COMPLETED";
    private const string Cancelled = "CANCELLED";
    private static readonly string[] ToCompletion = ["ACCEPTED", "IN_PROGRESS", "READY", Completed];
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(90);
    /// <summary>How often the owner takes the newest order to complete or cancel it.</summary>
    private static readonly TimeSpan OwnerPace = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Inventory_killed_twice_mid_stream_reserves_each_line_once_and_releases_or_consumes_it_once_to_the_gram_and_ordering_never_sees_a_5xx()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var mozzarella = await CreateItemAsync(r, "Mozzarella", "MOZ-F", reorderLevel: 0);
        var flour = await CreateItemAsync(r, "Flour", "FLO-F", reorderLevel: 0);
        var mascarpone = await CreateItemAsync(r, "Mascarpone", "MAS-F", reorderLevel: 0);
        Guid[] items = [mozzarella, flour, mascarpone];
        foreach (var item in items) await CountAsync(r, item, Opening);
        // Flour is in both foods: the ledger must tell the order's two lines apart.
        var recipes = new Dictionary<Guid, (Guid Item, decimal Quantity)[]>
        {
            [r.A.Id] = [(mozzarella, 120m), (flour, 150m)],
            [r.B.Id] = [(mascarpone, 87.5m), (flour, 22.5m)],
        };
        foreach (var (food, lines) in recipes) await SaveRecipeAsync(r, food, lines);
        // What Restaurant.UsualOrder orders: 2 × A, 1 × B.
        (Guid Food, int Quantity)[] usualLines = [(r.A.Id, 2), (r.B.Id, 1)];

        var customers = new List<Person>();
        for (var i = 0; i < 4; i++) customers.Add(await OrderingFlow.SignInAsync(fixture));
        using var menuReader = fixture.CreateGatewayClient();
        using var stop = new CancellationTokenSource();
        var stream = new CustomerStream(r);
        var fates = new ConcurrentDictionary<Guid, string>();
        var ownerStatuses = new ConcurrentQueue<int>();
        var ownerFailures = new ConcurrentQueue<string>();
        var clients = customers.Select(c => Task.Run(() => stream.OrderAsync(c, stop.Token)))
            .Append(Task.Run(() => stream.ReadMenuAsync(menuReader, stop.Token)))
            .Append(Task.Run(() => CloseOrdersAsync(r, stream, fates, ownerStatuses, ownerFailures, stop.Token))).ToList();
        Stopwatch sinceStreamEnded;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await WaitUntilStockMovesAsync(r, mozzarella, "Inventory following the stream");
            Log($"first kill with {stream.Accepted.Count} orders accepted");
            await fixture.KillAndStartAsync("inventory", Log, r.Owner.Client, $"/inventory/items?restaurant_id={r.Id}");
            // Back up, it works off what piled up while it was dead: killed again in the middle of that.
            await WaitUntilStockMovesAsync(r, mozzarella, "Inventory working off its backlog");
            Log($"second kill with {stream.Accepted.Count} orders accepted");
            await fixture.KillAndStartAsync("inventory", Log);
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
            sinceStreamEnded = Stopwatch.StartNew();
            customers.ForEach(c => c.Dispose());
        }

        var placed = stream.Accepted.Keys.ToHashSet();
        var statuses = stream.Statuses.Concat(ownerStatuses).ToList();
        Log($"stream: {stream.Describe(0)}; owner: {ownerStatuses.Count} status changes, " +
            $"{fates.Count(f => f.Value == Completed)} orders completed, {fates.Count(f => f.Value == Cancelled)} cancelled");
        statuses.Where(s => s >= 500 || s == 0).ShouldBeEmpty(
            $"ordering must not depend on Inventory; failures: {string.Join(" | ", stream.Failures.Concat(ownerFailures).Take(5))}");
        stream.Failures.Concat(ownerFailures).ShouldBeEmpty("no request of the stream may fail");
        placed.Count.ShouldBeGreaterThan(50, "the stream must really have placed orders");
        fates.Keys.ShouldAllBe(o => placed.Contains(o));
        fates.Values.Count(f => f == Completed).ShouldBeGreaterThan(3, "some orders must have been served");
        fates.Values.Count(f => f == Cancelled).ShouldBeGreaterThan(3, "some orders must have been cancelled");

        // What the store room must show, from the test's own records alone.
        var expected = items.ToDictionary(i => i, _ => new List<Move>());
        foreach (var order in placed)
        {
            foreach (var (food, quantity) in usualLines)
            {
                foreach (var (item, perPortion) in recipes[food])
                {
                    var need = perPortion * quantity;
                    expected[item].Add(new Move(order, food, "reserve", 0, need));
                    switch (fates.GetValueOrDefault(order))
                    {
                        case Completed: expected[item].Add(new Move(order, food, "consume", -need, -need)); break;
                        case Cancelled: expected[item].Add(new Move(order, food, "release", 0, -need)); break;
                    }
                }
            }
        }

        var ledger = await ReadLedgerAsync(r, expected, withMovements: false);
        while (!ledger.All(l => l.Balanced) && sinceStreamEnded.Elapsed < CatchUp)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            ledger = await ReadLedgerAsync(r, expected, withMovements: false);
        }
        if (!ledger.All(l => l.Balanced)) ledger = await ReadLedgerAsync(r, expected, withMovements: true);
        Log($"{sinceStreamEnded.Elapsed.TotalSeconds:0.0} s after the stream ended: {string.Join("; ", ledger)}");

        foreach (var state in ledger)
        {
            state.Duplicated.ShouldBeEmpty($"{state.Name}: an order's line moved {state.Name} twice: {string.Join(", ", state.Duplicated.Take(5))}");
            state.Unexpected.ShouldBeEmpty($"{state.Name}: movements nobody ordered: {string.Join(", ", state.Unexpected.Take(5))}");
            state.Missing.ShouldBeEmpty($"{state.Name}: each line reserves once and is released or consumed once per its order's fate: " +
                string.Join(", ", state.Missing.Take(5)));
            state.Counts.ShouldHaveSingleItem($"{state.Name}: the opening count is the only other movement").ShouldBe(Opening);
            state.OnHand.ShouldBe(state.ExpectedOnHand, $"{state.Name}: on hand is the opening count less what served orders consumed");
            state.Reserved.ShouldBe(state.ExpectedReserved, $"{state.Name}: reserved is what the orders still open hold");
            (state.OnHandSum, state.ReservedSum).ShouldBe((state.OnHand, state.Reserved), $"{state.Name}: the levels are the ledger's sums");
        }
    }

    /// <summary>
    /// The owner at the pass: every <see cref="OwnerPace"/> takes the newest accepted order and either serves it
    /// (step by step to COMPLETED) or cancels it, in turn. Only an order whose last step was answered 200 gets a fate.
    /// </summary>
    private static async Task CloseOrdersAsync(Restaurant r, CustomerStream stream, ConcurrentDictionary<Guid, string> fates,
        ConcurrentQueue<int> statuses, ConcurrentQueue<string> failures, CancellationToken stop)
    {
        var taken = new HashSet<Guid>();
        var next = Completed;
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(OwnerPace, CancellationToken.None);
            var newest = stream.AcceptedInOrder.LastOrDefault();
            if (newest == Guid.Empty || !taken.Add(newest)) continue;
            var closed = true;
            foreach (var status in next == Completed ? ToCompletion : [Cancelled])
            {
                var (code, _, body) = await CustomerStream.SendAsync(() =>
                    r.Owner.Client.CallAsync(HttpMethod.Patch, $"/orders/{newest}/status", new { status }));
                statuses.Enqueue(code);
                if (code == 200) continue;
                failures.Enqueue($"PATCH /orders/{newest}/status {status}: {code} {body}");
                closed = false;
                break;
            }
            if (closed) fates[newest] = next;
            next = next == Completed ? Cancelled : Completed;
        }
    }

    /// <summary>Waits until the item's levels change between two reads: Inventory is applying order events right now.</summary>
    private async Task WaitUntilStockMovesAsync(Restaurant r, Guid item, string what)
    {
        var first = Levels(await ItemAsync(r, item));
        await OrderingFlow.EventuallyAsync<bool>(async () => Levels(await ItemAsync(r, item)) != first ? true : null,
            TimeSpan.FromSeconds(60), what);
        Log($"{what}: {first} moved");
    }

    private static (decimal OnHand, decimal Reserved) Levels(JsonElement item) => (item.Money("on_hand"), item.Money("reserved"));

    /// <summary>
    /// Each item's levels against what the records imply, and (once the levels match, or <paramref name="withMovements"/>)
    /// its ledger against the movements the records imply.
    /// </summary>
    private static async Task<List<ItemLedger>> ReadLedgerAsync(Restaurant r, Dictionary<Guid, List<Move>> expected, bool withMovements)
    {
        var levels = (await ItemsAsync(r)).ToDictionary(i => i.GetProperty("id").GetGuid());
        var ledger = new List<ItemLedger>();
        foreach (var (item, moves) in expected)
        {
            var (onHand, reserved) = Levels(levels[item]);
            var state = new ItemLedger(levels[item].Text("name"), onHand, reserved,
                Opening + moves.Sum(m => m.OnHandChange), moves.Sum(m => m.ReservedChange));
            ledger.Add(state);
            if (withMovements || state.LevelsMatch) state.Read(await MovementsAsync(r, item), moves);
        }
        return ledger;
    }

    private void Log(string line) => output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");

    /// <summary>One movement an order's line causes on one item.</summary>
    private sealed record Move(Guid OrderId, Guid FoodId, string Kind, decimal OnHandChange, decimal ReservedChange)
    {
        public override string ToString() => $"{Kind} {OrderId.ToString()[..8]}/{FoodId.ToString()[..8]} ({OnHandChange:0.###}, {ReservedChange:0.###})";
    }

    private sealed class ItemLedger(string name, decimal onHand, decimal reserved, decimal expectedOnHand, decimal expectedReserved)
    {
        public string Name => name;
        public decimal OnHand => onHand;
        public decimal Reserved => reserved;
        public decimal ExpectedOnHand => expectedOnHand;
        public decimal ExpectedReserved => expectedReserved;
        public bool LevelsMatch => onHand == expectedOnHand && reserved == expectedReserved;
        public bool LedgerRead { get; private set; }
        public List<Move> Missing { get; } = [];
        public List<Move> Unexpected { get; } = [];
        public List<Move> Duplicated { get; } = [];
        public List<decimal> Counts { get; } = [];
        public decimal OnHandSum { get; private set; }
        public decimal ReservedSum { get; private set; }
        public int Movements { get; private set; }
        public bool Balanced => LevelsMatch && LedgerRead && Missing.Count == 0 && Unexpected.Count == 0 && Duplicated.Count == 0;

        public void Read(IReadOnlyList<JsonElement> movements, IReadOnlyList<Move> expected)
        {
            LedgerRead = true;
            Movements = movements.Count;
            OnHandSum = movements.Sum(m => m.Money("on_hand_change"));
            ReservedSum = movements.Sum(m => m.Money("reserved_change"));
            Counts.AddRange(movements.Where(m => m.Text("kind") == "count").Select(m => m.Money("on_hand_change")));
            var actual = movements.Where(m => m.Text("kind") != "count").Select(m => new Move(
                IdOrEmpty(m, "order_id"), IdOrEmpty(m, "food_id"), m.Text("kind"), m.Money("on_hand_change"), m.Money("reserved_change"))).ToList();
            var wanted = expected.ToHashSet();
            foreach (var group in actual.GroupBy(m => m))
            {
                if (!wanted.Contains(group.Key)) Unexpected.Add(group.Key);
                else if (group.Count() > 1) Duplicated.Add(group.Key);
            }
            var seen = actual.ToHashSet();
            Missing.AddRange(expected.Where(m => !seen.Contains(m)));
        }

        private static Guid IdOrEmpty(JsonElement movement, string property) =>
            movement.GetProperty(property).ValueKind == JsonValueKind.Null ? Guid.Empty : movement.GetProperty(property).GetGuid();

        public override string ToString() =>
            $"{name}: on hand {onHand:0.###} (expected {expectedOnHand:0.###}), reserved {reserved:0.###} (expected {expectedReserved:0.###}), " +
            $"{Movements} movements, {Missing.Count} missing, {Duplicated.Count} twice, {Unexpected.Count} unexpected";
    }
}
