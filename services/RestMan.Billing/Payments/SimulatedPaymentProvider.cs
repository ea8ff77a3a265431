using System.Collections.Concurrent;
using System.Globalization;
using StackExchange.Redis;

namespace RestMan.Billing.Payments;

/// <summary>
/// The built-in provider of run mode and tests. It decides by the card token, deterministically:
/// <see cref="DeclinedCard"/> is declined; <see cref="TimeoutCard"/> is charged but the answer is "lost" (TimedOut), so
/// only a status lookup or the webhook tells that it went through; <see cref="AuthorizeOnlyTimeoutCard"/> authorizes, then
/// its capture times out the same way; <see cref="HangingCaptureCard"/> is charged, then the call hangs for the
/// injected <c>hangFor</c> and fails with a <see cref="TimeoutException"/> — a provider that times out mid-capture (long
/// enough for a test to kill Billing meanwhile). Any other token (or none) is approved. Its charges and refunds live in
/// its <see cref="ISimulatedLedger"/>: in memory by default, in Redis in the graph, so like a real provider it remembers
/// them when Billing restarts.
/// </summary>
public sealed class SimulatedPaymentProvider(ISimulatedLedger? ledger = null, TimeSpan? hangFor = null) : IPaymentProvider
{
    public const string DeclinedCard = "4000000000000002";
    public const string TimeoutCard = "4000000000000119";
    public const string AuthorizeOnlyTimeoutCard = "4000000000000259";
    public const string HangingCaptureCard = "4000000000000341";

    private readonly ISimulatedLedger _ledger = ledger ?? new InMemorySimulatedLedger();
    private readonly TimeSpan _hangFor = hangFor ?? TimeSpan.FromSeconds(20);

    // Refunds of one Billing are checked and recorded one at a time, so racing refunds never exceed a charge.
    private readonly SemaphoreSlim _refunds = new(1, 1);

    public async Task<ProviderAnswer> AuthorizeAsync(ChargeRequest request, bool capture, CancellationToken ct)
    {
        var token = request.CardToken?.Replace(" ", "", StringComparison.Ordinal);
        if (token == DeclinedCard) return new ProviderAnswer(ProviderOutcome.Declined, "card_declined");

        // One charge per reference: a repeated call answers with the charge as it stands.
        var state = capture ? ProviderOutcome.Captured : ProviderOutcome.Authorized;
        var charge = await _ledger.AddChargeAsync(request.Reference, new SimulatedCharge(request.Amount, token, state));
        if (token == TimeoutCard) return new ProviderAnswer(ProviderOutcome.TimedOut);
        if (token == HangingCaptureCard && capture) await HangAsync(ct);
        return new ProviderAnswer(charge.State);
    }

    public async Task<ProviderAnswer> CaptureAsync(string reference, CancellationToken ct)
    {
        if (await _ledger.ChargeAsync(reference) is not { } charge) return new ProviderAnswer(ProviderOutcome.Unknown);
        if (charge.State == ProviderOutcome.Authorized)
        {
            charge = charge with { State = ProviderOutcome.Captured };
            await _ledger.SetChargeAsync(reference, charge);
            if (charge.CardToken == HangingCaptureCard) await HangAsync(ct);
        }
        if (charge.CardToken == AuthorizeOnlyTimeoutCard) return new ProviderAnswer(ProviderOutcome.TimedOut);
        return new ProviderAnswer(charge.State);
    }

    public async Task<ProviderAnswer> RefundAsync(RefundRequest request, CancellationToken ct)
    {
        await _refunds.WaitAsync(ct);
        try
        {
            if (await _ledger.ChargeAsync(request.ChargeReference) is not { State: ProviderOutcome.Captured or ProviderOutcome.Refunded } charge)
                return new ProviderAnswer(ProviderOutcome.Declined, "charge_not_captured");
            var refunds = await _ledger.RefundsAsync(request.ChargeReference);
            // One refund per reference: a repeated call answers as the first did.
            if (refunds.ContainsKey(request.RefundReference)) return new ProviderAnswer(ProviderOutcome.Refunded);
            var refunded = refunds.Values.Sum();
            if (refunded + request.Amount > charge.Amount) return new ProviderAnswer(ProviderOutcome.Declined, "refund_exceeds_charge");
            await _ledger.AddRefundAsync(request.ChargeReference, request.RefundReference, request.Amount);
            if (refunded + request.Amount == charge.Amount) await _ledger.SetChargeAsync(request.ChargeReference, charge with { State = ProviderOutcome.Refunded });
            return new ProviderAnswer(ProviderOutcome.Refunded);
        }
        finally
        {
            _refunds.Release();
        }
    }

    public async Task<ProviderAnswer> StatusAsync(string reference, CancellationToken ct) =>
        await _ledger.ChargeAsync(reference) is { } charge ? new ProviderAnswer(charge.State) : new ProviderAnswer(ProviderOutcome.Unknown);

    // The charge went through; its answer never comes.
    private async Task HangAsync(CancellationToken ct)
    {
        await Task.Delay(_hangFor, ct);
        throw new TimeoutException($"The simulated provider did not answer within {_hangFor.TotalSeconds:0} s.");
    }
}

/// <summary>A charge at the simulated provider: its amount, the card it was taken from, where it stands.</summary>
public sealed record SimulatedCharge(decimal Amount, string? CardToken, ProviderOutcome State);

/// <summary>Where the simulated provider keeps its charges and refunds (by RestMan's references).</summary>
public interface ISimulatedLedger
{
    /// <summary>Stores the charge unless one is kept under <paramref name="reference"/>; returns the one kept.</summary>
    Task<SimulatedCharge> AddChargeAsync(string reference, SimulatedCharge charge);

    Task<SimulatedCharge?> ChargeAsync(string reference);

    Task SetChargeAsync(string reference, SimulatedCharge charge);

    /// <summary>The refunds of a charge: refund reference → amount.</summary>
    Task<IReadOnlyDictionary<string, decimal>> RefundsAsync(string chargeReference);

    Task AddRefundAsync(string chargeReference, string refundReference, decimal amount);
}

/// <summary>The ledger of unit tests: forgotten with the process.</summary>
public sealed class InMemorySimulatedLedger : ISimulatedLedger
{
    private readonly ConcurrentDictionary<string, SimulatedCharge> _charges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, decimal>> _refunds = new(StringComparer.Ordinal);

    public Task<SimulatedCharge> AddChargeAsync(string reference, SimulatedCharge charge) => Task.FromResult(_charges.GetOrAdd(reference, charge));

    public Task<SimulatedCharge?> ChargeAsync(string reference) => Task.FromResult(_charges.TryGetValue(reference, out var c) ? c : null);

    public Task SetChargeAsync(string reference, SimulatedCharge charge)
    {
        _charges[reference] = charge;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, decimal>> RefundsAsync(string chargeReference) =>
        Task.FromResult<IReadOnlyDictionary<string, decimal>>(_refunds.TryGetValue(chargeReference, out var r) ? new Dictionary<string, decimal>(r) : []);

    public Task AddRefundAsync(string chargeReference, string refundReference, decimal amount)
    {
        _refunds.GetOrAdd(chargeReference, _ => new(StringComparer.Ordinal))[refundReference] = amount;
        return Task.CompletedTask;
    }
}

/// <summary>
/// The ledger of the graph, in Redis (<c>simulated_provider:charge:{ref}</c>, <c>simulated_provider:refunds:{ref}</c>,
/// kept 7 days): the simulated provider outlives a killed Billing, so the reconciler has a provider to ask.
/// </summary>
public sealed class RedisSimulatedLedger(IConnectionMultiplexer redis) : ISimulatedLedger
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    public async Task<SimulatedCharge> AddChargeAsync(string reference, SimulatedCharge charge)
    {
        var db = redis.GetDatabase();
        if (await db.StringSetAsync(ChargeKey(reference), Write(charge), Retention, When.NotExists)) return charge;
        return (await ChargeAsync(reference))!;
    }

    public async Task<SimulatedCharge?> ChargeAsync(string reference) =>
        await redis.GetDatabase().StringGetAsync(ChargeKey(reference)) is { HasValue: true } value ? Read(value!) : null;

    public Task SetChargeAsync(string reference, SimulatedCharge charge) =>
        redis.GetDatabase().StringSetAsync(ChargeKey(reference), Write(charge), Retention);

    public async Task<IReadOnlyDictionary<string, decimal>> RefundsAsync(string chargeReference) =>
        (await redis.GetDatabase().HashGetAllAsync(RefundsKey(chargeReference)))
            .ToDictionary(e => (string)e.Name!, e => decimal.Parse((string)e.Value!, CultureInfo.InvariantCulture), StringComparer.Ordinal);

    public async Task AddRefundAsync(string chargeReference, string refundReference, decimal amount)
    {
        var db = redis.GetDatabase();
        await db.HashSetAsync(RefundsKey(chargeReference), refundReference, amount.ToString(CultureInfo.InvariantCulture));
        await db.KeyExpireAsync(RefundsKey(chargeReference), Retention);
    }

    private static string ChargeKey(string reference) => "simulated_provider:charge:" + reference;

    private static string RefundsKey(string reference) => "simulated_provider:refunds:" + reference;

    // amount|state|token: no JSON needed for three fields.
    private static string Write(SimulatedCharge c) => $"{c.Amount.ToString(CultureInfo.InvariantCulture)}|{c.State}|{c.CardToken}";

    private static SimulatedCharge Read(string value)
    {
        var parts = value.Split('|', 3);
        return new SimulatedCharge(decimal.Parse(parts[0], CultureInfo.InvariantCulture), parts[2].Length == 0 ? null : parts[2], Enum.Parse<ProviderOutcome>(parts[1]));
    }
}
