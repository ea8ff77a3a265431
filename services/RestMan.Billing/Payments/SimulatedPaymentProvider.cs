using System.Collections.Concurrent;

namespace RestMan.Billing.Payments;

/// <summary>
/// The built-in provider of run mode and tests. It decides by the card token, deterministically:
/// <see cref="DeclinedCard"/> is declined; <see cref="TimeoutCard"/> is charged but the answer is "lost" (TimedOut), so
/// only a status lookup or the webhook tells that it went through; <see cref="AuthorizeOnlyTimeoutCard"/> authorizes, then
/// its capture times out the same way. Any other token (or none) is approved. Charges live in memory, by reference.
/// </summary>
public sealed class SimulatedPaymentProvider : IPaymentProvider
{
    public const string DeclinedCard = "4000000000000002";
    public const string TimeoutCard = "4000000000000119";
    public const string AuthorizeOnlyTimeoutCard = "4000000000000259";

    private readonly ConcurrentDictionary<string, Charge> _charges = new(StringComparer.Ordinal);

    // Refunds by their reference: which charge, how much. Locked as a whole, so racing refunds never exceed a charge.
    private readonly Dictionary<string, (string Charge, decimal Amount)> _refunds = new(StringComparer.Ordinal);

    private sealed record Charge(decimal Amount, string? CardToken, ProviderOutcome State);

    public Task<ProviderAnswer> AuthorizeAsync(ChargeRequest request, bool capture, CancellationToken ct)
    {
        var token = request.CardToken?.Replace(" ", "", StringComparison.Ordinal);
        if (token == DeclinedCard) return Task.FromResult(new ProviderAnswer(ProviderOutcome.Declined, "card_declined"));

        // One charge per reference: a repeated call answers with the charge as it stands.
        var state = capture ? ProviderOutcome.Captured : ProviderOutcome.Authorized;
        var charge = _charges.GetOrAdd(request.Reference, _ => new Charge(request.Amount, token, state));
        if (token == TimeoutCard) return Task.FromResult(new ProviderAnswer(ProviderOutcome.TimedOut));
        return Task.FromResult(new ProviderAnswer(charge.State));
    }

    public Task<ProviderAnswer> CaptureAsync(string reference, CancellationToken ct)
    {
        if (!_charges.TryGetValue(reference, out var charge)) return Task.FromResult(new ProviderAnswer(ProviderOutcome.Unknown));
        if (charge.State == ProviderOutcome.Authorized) charge = _charges[reference] = charge with { State = ProviderOutcome.Captured };
        if (charge.CardToken == AuthorizeOnlyTimeoutCard) return Task.FromResult(new ProviderAnswer(ProviderOutcome.TimedOut));
        return Task.FromResult(new ProviderAnswer(charge.State));
    }

    public Task<ProviderAnswer> RefundAsync(RefundRequest request, CancellationToken ct)
    {
        lock (_refunds)
        {
            if (!_charges.TryGetValue(request.ChargeReference, out var charge) || charge.State is not (ProviderOutcome.Captured or ProviderOutcome.Refunded))
                return Task.FromResult(new ProviderAnswer(ProviderOutcome.Declined, "charge_not_captured"));
            // One refund per reference: a repeated call answers as the first did.
            if (_refunds.ContainsKey(request.RefundReference)) return Task.FromResult(new ProviderAnswer(ProviderOutcome.Refunded));
            var refunded = _refunds.Values.Where(r => r.Charge == request.ChargeReference).Sum(r => r.Amount);
            if (refunded + request.Amount > charge.Amount)
                return Task.FromResult(new ProviderAnswer(ProviderOutcome.Declined, "refund_exceeds_charge"));
            _refunds[request.RefundReference] = (request.ChargeReference, request.Amount);
            if (refunded + request.Amount == charge.Amount) _charges[request.ChargeReference] = charge with { State = ProviderOutcome.Refunded };
            return Task.FromResult(new ProviderAnswer(ProviderOutcome.Refunded));
        }
    }

    public Task<ProviderAnswer> StatusAsync(string reference, CancellationToken ct) =>
        Task.FromResult(_charges.TryGetValue(reference, out var charge) ? new ProviderAnswer(charge.State) : new ProviderAnswer(ProviderOutcome.Unknown));
}
