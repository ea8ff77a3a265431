using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestMan.Billing.Infrastructure;
using RestMan.Billing.Model;
using RestMan.Email;
using RestMan.Billing.Receipts;
using RestMan.Identity.Ownership;

namespace RestMan.Billing.Apis;

/// <summary>A bill's itemised receipt, printable: HTML with a print stylesheet, or PDF.</summary>
public static class ReceiptsApi
{
    private const string Pdf = "application/pdf";

    public static IEndpointRouteBuilder MapReceiptsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/billing").AddEndpointFilter<RestaurantsUnavailableFilter>();
        api.MapGet("/bills/{id:guid}/receipt", GetReceiptAsync).RequireAuthorization(p => p.RequireRole(Roles.Owner, Roles.Waiter))
            .Produces(StatusCodes.Status200OK, contentType: "text/html", additionalContentTypes: [Pdf]);
        api.MapPost("/bills/{id:guid}/receipt/email", EmailReceiptAsync).RequireAuthorization(p => p.RequireRole(Roles.Owner, Roles.Waiter));
        return app;
    }

    /// <summary>
    /// The receipt: the restaurant's name and details, the order number, the lines, discount, service charge, tax,
    /// total, tips, payments and refunds. HTML (print it: 80 mm roll), or PDF with <c>Accept: application/pdf</c> or
    /// <c>?format=pdf</c>.
    /// </summary>
    public static async Task<Results<ContentHttpResult, FileContentHttpResult, ProblemHttpResult>> GetReceiptAsync(
        Guid id, string? format, HttpRequest request, ClaimsPrincipal user, [AsParameters] BillingServices services,
        ReceiptMaker maker, CancellationToken ct)
    {
        var wantsPdf = format?.Trim().ToLowerInvariant() switch
        {
            null or "" => request.Headers.Accept.Any(a => a?.Contains(Pdf, StringComparison.OrdinalIgnoreCase) == true),
            "pdf" => true,
            "html" => false,
            _ => (bool?)null,
        };
        if (wantsPdf is null) return Problems.Validation("format", "must be html or pdf.");

        var bill = await services.Bills.FindAsync(id, ct);
        if (bill is null || !await services.Scope.CanSeeAsync(user, bill.RestaurantId, ct)) return Problems.NotFound("The bill");
        var receipt = await maker.OfAsync(bill, ct);
        return wantsPdf.Value
            ? TypedResults.File(maker.Pdf(receipt), Pdf, ReceiptMaker.FileName(bill) + ".pdf")
            : TypedResults.Content(ReceiptHtml.Render(receipt), "text/html; charset=utf-8");
    }

    /// <summary>
    /// Emails the receipt to <c>email</c> (400 naming it when it is not an address): the itemised receipt as the HTML body,
    /// a plain-text alternative and the PDF attached, with the order number and the restaurant's details. The email is
    /// queued and goes out within seconds; while the mail relay is away it is retried (for about two hours), so the
    /// answer is 202 <c>queued</c> either way. With an Idempotency-Key a repeat queues nothing: it answers 200 with the
    /// first request's email as it stands (<c>sent</c> once it went), and 422 when the key came with another address.
    /// </summary>
    public static async Task<Results<Accepted<ReceiptEmailResponse>, Ok<ReceiptEmailResponse>, ProblemHttpResult>> EmailReceiptAsync(
        Guid id, EmailReceiptRequest? request, [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey,
        ClaimsPrincipal user, [AsParameters] BillingServices services, ReceiptEmailRepository emails, TimeProvider clock, CancellationToken ct)
    {
        var rules = new InputRules();
        var (email, emailError) = EmailAddress.Normalize(request?.Email);
        if (emailError is not null) rules.Add("email", emailError);
        IdempotencyKeys.Check(idempotencyKey, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var bill = await services.Bills.FindAsync(id, ct);
        if (bill is null || !await services.Scope.CanSeeAsync(user, bill.RestaurantId, ct)) return Problems.NotFound("The bill");

        var fingerprint = idempotencyKey is null ? null : IdempotencyKeys.Fingerprint(bill.Id, email);
        var (queued, isNew) = await emails.QueueAsync(bill.Id, email!, idempotencyKey, fingerprint, user.UserId(), clock.GetUtcNow(), ct);
        if (isNew)
        {
            services.Logger.LogInformation("Receipt of bill {BillId} queued for email ({EmailId})", bill.Id, queued.Id);
            return TypedResults.Accepted($"/billing/bills/{bill.Id}/receipt/email", ReceiptEmailResponse.From(queued));
        }
        return queued.Fingerprint == fingerprint ? TypedResults.Ok(ReceiptEmailResponse.From(queued)) : IdempotencyKeys.Reused("receipt email");
    }
}
