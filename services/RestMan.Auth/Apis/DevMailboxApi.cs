using Microsoft.AspNetCore.Http.HttpResults;
using RestMan.Email;

namespace RestMan.Auth.Apis;

/// <summary>Development only (mapped only there, so a 404 elsewhere): the mail the dev mailbox "sent".</summary>
public static class DevMailboxApi
{
    public static RouteGroupBuilder MapDevMailboxApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/dev");

        api.MapGet("/mailbox", ReadMailboxAsync);

        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<MailboxMessage>>, ProblemHttpResult>> ReadMailboxAsync(string? email, DevMailbox mailbox)
    {
        var (address, error) = EmailAddress.Normalize(email);
        if (error is not null) return Problems.Validation("email", error);
        return TypedResults.Ok(await mailbox.ReadAsync(address!));
    }
}
