using Microsoft.AspNetCore.Http.HttpResults;
using RestMan.Billing.Model;
using RestMan.Billing.Payments;

namespace RestMan.Billing.Apis;

/// <summary>The one mapping of a <see cref="MoneyMove{T}"/> to its HTTP answer.</summary>
public static class MoneyMoveResults
{
    /// <summary>
    /// Taken → 201 at <paramref name="location"/>; Replayed → 200 (the first one as it stands); Refused → 409 with its
    /// code; KeyReused → 422 naming <paramref name="what"/>.
    /// </summary>
    public static Results<Created<TResponse>, Ok<TResponse>, ProblemHttpResult> ToCreated<T, TResponse>(
        this MoneyMove<T> move, string what, string location, Func<T, Bill, TResponse> respond) => move switch
    {
        MoneyMove<T>.Taken t => TypedResults.Created(location, respond(t.Moved, t.Bill)),
        MoneyMove<T>.Replayed r => TypedResults.Ok(respond(r.Moved, r.Bill)),
        _ => Problem(move, what),
    };

    /// <summary>Taken and Replayed → 200; Refused → 409 with its code; KeyReused → 422 naming <paramref name="what"/>.</summary>
    public static Results<Ok<TResponse>, ProblemHttpResult> ToOk<T, TResponse>(
        this MoneyMove<T> move, string what, Func<T, Bill, TResponse> respond) => move switch
    {
        MoneyMove<T>.Taken t => TypedResults.Ok(respond(t.Moved, t.Bill)),
        MoneyMove<T>.Replayed r => TypedResults.Ok(respond(r.Moved, r.Bill)),
        _ => Problem(move, what),
    };

    private static ProblemHttpResult Problem<T>(MoneyMove<T> move, string what) => move switch
    {
        MoneyMove<T>.Refused f => Problems.Conflict(f.Code, f.Detail),
        MoneyMove<T>.KeyReused => IdempotencyKeys.Reused(what),
        _ => throw new InvalidOperationException($"Unknown outcome {move.GetType().Name} of a {what}."),
    };
}
