namespace RestMan.Billing.Payments;

/// <summary>What the provider says about a charge.</summary>
public enum ProviderOutcome
{
    /// <summary>Money held, not yet taken.</summary>
    Authorized,
    Captured,
    Declined,
    /// <summary>No answer in time: the charge may or may not have happened; ask again by its reference.</summary>
    TimedOut,
    /// <summary>The provider has no charge under the reference (a status lookup only).</summary>
    Unknown,
    Refunded,
}

/// <param name="Reference">RestMan's reference for the charge: the provider charges at most once per reference.</param>
/// <param name="CardToken">The provider's token for the card or wallet; the simulated provider reads test numbers.</param>
public sealed record ChargeRequest(string Reference, decimal Amount, string Method, string? CardToken);

/// <param name="ChargeReference">The charge's reference (the payment's <c>rm_…</c>).</param>
/// <param name="RefundReference">RestMan's reference for this refund of that charge: the provider refunds once per reference.</param>
public sealed record RefundRequest(string ChargeReference, string RefundReference, decimal Amount);

public sealed record ProviderAnswer(ProviderOutcome Outcome, string? Reason = null);

/// <summary>
/// The payment provider boundary for card, QR and e-wallet payments. Every call is keyed by RestMan's reference, so a
/// call repeated after a timeout never charges twice, and <see cref="StatusAsync"/> tells how a lost answer ended.
/// A real provider is one implementation of this and its configuration (<c>Billing:Payments:Provider</c>).
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Authorizes the amount; with <paramref name="capture"/> also takes it in the same call.</summary>
    Task<ProviderAnswer> AuthorizeAsync(ChargeRequest request, bool capture, CancellationToken ct);

    Task<ProviderAnswer> CaptureAsync(string reference, CancellationToken ct);

    /// <summary>
    /// Gives back <see cref="RefundRequest.Amount"/> of a captured charge; keyed by the refund's own reference, so a
    /// repeated call refunds once. Refunded, Declined (with a reason) or TimedOut.
    /// </summary>
    Task<ProviderAnswer> RefundAsync(RefundRequest request, CancellationToken ct);

    /// <summary>Where the charge stands now, by its reference.</summary>
    Task<ProviderAnswer> StatusAsync(string reference, CancellationToken ct);
}
