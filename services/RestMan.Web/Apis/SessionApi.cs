using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using RestMan.Web.Gateway;

namespace RestMan.Web.Apis;

public static class SessionApi
{
    /// <summary><c>POST /sign-out</c> (a form with the anti-forgery token): ends the API session, then drops the cookie.</summary>
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/sign-out", async (HttpContext context, RestManApi api) =>
        {
            if (context.User.FindFirstValue(SignedInUser.TokenClaim) is { } token)
                await api.LogoutAsync(token, context.RequestAborted); // an unreachable Auth still signs this browser out
            await context.SignOutAsync();
            return Results.Redirect("/");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());

        // The settle dialog's receipt link: the signed-in browser has a cookie, the API wants the session's bearer token.
        app.MapGet("/receipt/{billId:guid}", async (Guid billId, string? format, HttpContext context, RestManApi api, CancellationToken ct) =>
            context.User.FindFirstValue(SignedInUser.TokenClaim) is { } token && await api.ReceiptAsync(billId, format == "pdf", token, ct) is { } receipt
                ? Results.File(receipt.Body, receipt.ContentType)
                : Results.NotFound()).RequireAuthorization();
        return app;
    }
}
