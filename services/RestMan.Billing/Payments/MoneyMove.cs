using RestMan.Billing.Model;

namespace RestMan.Billing.Payments;

/// <summary>
/// How moving money on a bill ended — a payment taken or captured (<c>MoneyMove&lt;Payment&gt;</c>) or a refund issued
/// (<c>MoneyMove&lt;Refund&gt;</c>): the same four answers, mapped to HTTP once (<c>Apis/MoneyMoveResults</c>).
/// </summary>
public abstract record MoneyMove<T>
{
    /// <summary>Done now: <paramref name="Moved"/> as it stands, and its bill after it.</summary>
    public sealed record Taken(T Moved, Bill Bill) : MoneyMove<T>;

    /// <summary>The same request came again with its Idempotency-Key: the first one as it stands now.</summary>
    public sealed record Replayed(T Moved, Bill Bill) : MoneyMove<T>;

    /// <summary>Refused by a rule of the bill (a 409 with <paramref name="Code"/>).</summary>
    public sealed record Refused(string Code, string Detail) : MoneyMove<T>;

    /// <summary>The Idempotency-Key was used before for a different request.</summary>
    public sealed record KeyReused : MoneyMove<T>;
}
