using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
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
        return app;
    }

    /// <summary>
    /// The receipt: the restaurant's name and details, the order number, the lines, discount, service charge, tax,
    /// total, tips, payments and refunds. HTML (print it: 80 mm roll), or PDF with <c>Accept: application/pdf</c> or
    /// <c>?format=pdf</c>.
    /// </summary>
    public static async Task<Results<ContentHttpResult, FileContentHttpResult, ProblemHttpResult>> GetReceiptAsync(
        Guid id, string? format, HttpRequest request, ClaimsPrincipal user, [AsParameters] BillingServices services,
        RestaurantDetailsClient restaurants, IOptions<BillingOptions> options, CancellationToken ct)
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
        var receipt = Receipt.Of(bill, await restaurants.GetAsync(bill.RestaurantId, ct), await services.Split.LinesAsync(id, ct),
            await services.Payments.ListByBillAsync(id, ct), await services.Refunds.ListByBillAsync(id, ct));
        var name = $"receipt-{bill.OrderNumber ?? bill.Id.ToString()}";
        return wantsPdf.Value
            ? TypedResults.File(ReceiptPdf.Render(receipt, options.Value.Receipts.FontDirectory), Pdf, name + ".pdf")
            : TypedResults.Content(ReceiptHtml.Render(receipt), "text/html; charset=utf-8");
    }
}
