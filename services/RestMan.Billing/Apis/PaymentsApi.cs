using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RestMan.Billing.Model;
using RestMan.Billing.Payments;
using RestMan.Identity.Ownership;

namespace RestMan.Billing.Apis;

/// <summary>Payments towards a bill, taken by the waiter or the owner; the provider's signed webhook.</summary>
public static class PaymentsApi
{
    private const decimal MaxAmount = 1_000_000m;

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/billing").AddEndpointFilter<RestaurantsUnavailableFilter>();
        // A customer pays their own order's bill online (by card, QR or e-wallet, through the provider).
        api.MapPost("/bills/{id:guid}/payments", TakePaymentAsync).RequireAuthorization(p => p.RequireRole(Roles.Owner, Roles.Waiter, Roles.Customer));
        api.MapGet("/bills/{id:guid}/payments", ListPaymentsAsync).RequireAuthorization(p => p.RequireRole(Roles.Owner, Roles.Waiter));
        api.MapPost("/payments/{id:guid}/capture", CaptureAsync).RequireAuthorization(p => p.RequireRole(Roles.Owner, Roles.Waiter));

        app.MapPost("/payments/webhook", WebhookAsync).AllowAnonymous()
            .Accepts<PaymentWebhook>("application/json");
        return app;
    }

    /// <summary>
    /// Takes a payment towards the bill. Cash is captured at once; card, QR and e-wallet go through the payment provider
    /// (<c>status</c>: captured, authorized, failed when declined, pending when the provider did not answer — it is then
    /// settled by the reconciler or the webhook). 409 <c>overpayment</c>, <c>bill_already_paid</c>, <c>bill_void</c>,
    /// <c>payment_pending</c>. With an Idempotency-Key, a replay returns the first payment as it stands (200). The
    /// customer whose order it is may pay it online (card, QR, e-wallet; no part, captured at once); to any other
    /// customer the bill is not found.
    /// </summary>
    public static async Task<Results<Created<PaymentResponse>, Ok<PaymentResponse>, ProblemHttpResult>> TakePaymentAsync(
        Guid id, TakePaymentRequest request, [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey,
        ClaimsPrincipal user, [AsParameters] BillingServices services, Settlement settlement, CancellationToken ct)
    {
        var rules = new InputRules();
        var method = PaymentMethod.Normalize(request.Method);
        if (method is null) rules.Add("method", $"is required: one of {string.Join(", ", PaymentMethod.All)}.");
        if (request.Amount is { } amount && (amount <= 0 || amount > MaxAmount || amount != Money.Round(amount)))
            rules.Add("amount", "must be more than 0, in whole cents (left out: all that is still owed).");
        if (request.Tip is { } tip && (tip < 0 || tip > MaxAmount || tip != Money.Round(tip)))
            rules.Add("tip", "must be 0 or more, in whole cents.");
        var cardToken = rules.OptionalText(request.CardToken, "card_token", 64);
        if (request.Part is { } part && part is < 1 or > SplitRules.MaxParts) rules.Add("part", $"must be a part of the split bill, 1 to {SplitRules.MaxParts}.");
        if (method == PaymentMethod.Cash && request.Capture == false) rules.Add("capture", "cash is taken at once; it cannot be only authorized.");
        IdempotencyKeys.Check(idempotencyKey, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var bill = await services.Bills.FindAsync(id, ct);
        if (bill is null || !await services.Scope.CanSeeCustomersAsync(user, bill.RestaurantId, bill.UserId, ct)) return Problems.NotFound("The bill");
        if (user.IsInRole(Roles.Customer) && !PaymentMethod.ThroughProvider(method!))
            return Problems.Validation("method", "a customer pays online: card, qr or e_wallet (cash is taken by the staff).");
        if (user.IsInRole(Roles.Customer) && (request.Capture == false || request.Part is not null))
            return Problems.Validation(request.Part is not null ? "part" : "capture", "a customer pays what the bill still owes, captured at once.");

        var order = new PaymentOrder(request.Amount, request.Tip ?? 0m, method!, cardToken, request.Capture ?? true, user.UserId(), request.Part);
        return (await settlement.TakeAsync(bill.Id, order, idempotencyKey, ct))
            .ToCreated("payment", $"/billing/bills/{bill.Id}/payments", PaymentResponse.From);
    }

    /// <summary>The bill's payments, oldest first, every status.</summary>
    public static async Task<Results<Ok<List<PaymentResponse>>, ProblemHttpResult>> ListPaymentsAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        var bill = await services.Bills.FindAsync(id, ct);
        if (bill is null || !await services.Scope.CanSeeAsync(user, bill.RestaurantId, ct)) return Problems.NotFound("The bill");
        var payments = await services.Payments.ListByBillAsync(id, ct);
        // The bill is read again after its payments: one settled meanwhile (with its bill, in one commit) never shows beside the bill's old status.
        var current = await services.Bills.FindAsync(id, ct) ?? bill;
        return TypedResults.Ok(payments.Select(p => PaymentResponse.From(p, current)).ToList());
    }

    /// <summary>
    /// Captures an authorized payment. A payment is captured once: 409 <c>payment_already_captured</c> for a second
    /// capture (the request that made the first may repeat it with its Idempotency-Key), <c>payment_not_authorized</c>.
    /// </summary>
    public static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> CaptureAsync(
        Guid id, [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey,
        ClaimsPrincipal user, [AsParameters] BillingServices services, Settlement settlement, CancellationToken ct)
    {
        var rules = new InputRules();
        IdempotencyKeys.Check(idempotencyKey, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        var payment = await services.Payments.FindAsync(id, ct);
        if (payment is null || !await services.Scope.CanSeeAsync(user, payment.RestaurantId, ct)) return Problems.NotFound("The payment");

        return (await settlement.CaptureAsync(id, idempotencyKey, ct)).ToOk("payment", PaymentResponse.From);
    }

    /// <summary>
    /// The provider's asynchronous confirmation of a charge (<c>captured</c>, <c>authorized</c> or <c>failed</c>), signed
    /// with <c>X-Payment-Signature: sha256=&lt;HMAC-SHA256 of the body&gt;</c>: 401 for a missing or bad signature. Only a
    /// payment still waiting changes, so a repeated webhook changes nothing.
    /// </summary>
    public static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> WebhookAsync(
        HttpRequest request, [FromHeader(Name = WebhookSignature.Header)] string? signature,
        [AsParameters] BillingServices services, Settlement settlement, IOptions<BillingOptions> options, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();
        if (!WebhookSignature.IsValid(options.Value.Payments.WebhookSecret, body, signature))
            return Problems.Unauthorized($"The webhook's {WebhookSignature.Header} is missing or not the body's signature.");

        PaymentWebhook? webhook;
        try
        {
            webhook = JsonSerializer.Deserialize<PaymentWebhook>(body, Json.Options);
        }
        catch (JsonException)
        {
            return Problems.Validation("body", "must be JSON: {\"provider_reference\": \"...\", \"status\": \"captured\"}.");
        }
        var rules = new InputRules();
        var reference = rules.OptionalText(webhook?.ProviderReference, "provider_reference", 64);
        if (reference is null) rules.Add("provider_reference", "is required.");
        ProviderOutcome? outcome = webhook?.Status?.Trim().ToLowerInvariant() switch
        {
            "captured" => ProviderOutcome.Captured,
            "authorized" => ProviderOutcome.Authorized,
            "failed" or "declined" => ProviderOutcome.Declined,
            _ => null,
        };
        if (outcome is null) rules.Add("status", "must be one of captured, authorized, failed.");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var payment = await services.Payments.FindByReferenceAsync(reference!, ct);
        if (payment is null) return Problems.NotFound("The payment");
        var (settled, bill) = await settlement.ApplyAsync(payment.Id, new ProviderAnswer(outcome!.Value, outcome == ProviderOutcome.Declined ? "declined" : null), ct);
        services.Logger.LogInformation("Webhook {EventId} for payment {PaymentId}: {Status}", webhook!.EventId, settled.Id, settled.Status);
        return TypedResults.Ok(PaymentResponse.From(settled, bill));
    }
}
