using System.Net;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Services;

/// <summary>What Auth answered: a value with its status, or the problem to hand to our caller.</summary>
public sealed record AuthAnswer<T>(T? Value, HttpStatusCode Status, IResult? Problem);

/// <summary>
/// Auth's internal staff endpoints, called with this service's signed identity. Auth owns accounts and sessions;
/// this service only decides who may ask (the restaurant's owner). Auth's own 400/404/409 answers are passed on
/// with their fields and codes; anything else means Auth is unwell, which is a 502 or 503 here, never a 500.
/// </summary>
public sealed class AuthStaffClient(HttpClient http, ILogger<AuthStaffClient> logger)
{
    private sealed record AddStaffBody(string Email, Guid RestaurantId, string? Role);

    public Task<AuthAnswer<StaffMember>> AddAsync(string email, Guid restaurantId, string? role, CancellationToken ct) =>
        SendAsync<StaffMember>(() => http.PostAsJsonAsync("/internal/staff", new AddStaffBody(email, restaurantId, role), Json.Options, ct), "add staff", ct);

    public Task<AuthAnswer<List<StaffListItem>>> ListAsync(Guid restaurantId, CancellationToken ct) =>
        SendAsync<List<StaffListItem>>(() => http.GetAsync($"/internal/staff?restaurant_id={restaurantId}", ct), "list staff", ct);

    public Task<AuthAnswer<object>> RemoveAsync(Guid userId, Guid restaurantId, CancellationToken ct) =>
        SendAsync<object>(() => http.DeleteAsync($"/internal/staff/{userId}?restaurant_id={restaurantId}", ct), "remove staff", ct);

    private async Task<AuthAnswer<T>> SendAsync<T>(Func<Task<HttpResponseMessage>> send, string operation, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
                                   || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            logger.LogWarning(ex, "Auth could not be reached to {Operation}", operation);
            return new(default, HttpStatusCode.ServiceUnavailable, Problems.Problem(StatusCodes.Status503ServiceUnavailable,
                "auth_unavailable", "Staff accounts cannot be managed right now; try again shortly."));
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                var value = response.StatusCode == HttpStatusCode.NoContent
                    ? default
                    : await response.Content.ReadFromJsonAsync<T>(Json.Options, ct);
                return new(value, response.StatusCode, null);
            }

            var problem = await ReadProblemAsync(response, ct);
            switch (response.StatusCode)
            {
                case HttpStatusCode.BadRequest when problem.Errors.Count > 0:
                    return new(default, response.StatusCode, Problems.Validation(problem.Errors));
                case HttpStatusCode.NotFound:
                    return new(default, response.StatusCode, Problems.NotFound("The restaurant's staff member"));
                case HttpStatusCode.Conflict:
                    return new(default, response.StatusCode, Problems.Conflict(problem.Code ?? "conflict", problem.Detail ?? "The staff account conflicts."));
                default:
                    logger.LogError("Auth answered {Status} to {Operation}: {Code} {Detail}", (int)response.StatusCode, operation, problem.Code, problem.Detail);
                    return new(default, response.StatusCode, Problems.Problem(StatusCodes.Status502BadGateway,
                        "auth_failed", "The account service could not complete this; try again shortly."));
            }
        }
    }

    private sealed record AuthProblem(string? Code, string? Detail, IReadOnlyDictionary<string, string> Errors);

    private static async Task<AuthProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var errors = new Dictionary<string, string>();
            if (body.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
                foreach (var field in fields.EnumerateObject())
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array && field.Value.GetArrayLength() > 0
                        ? field.Value[0].GetString() ?? "is not valid."
                        : "is not valid.";
            return new AuthProblem(
                body.TryGetProperty("code", out var code) ? code.GetString() : null,
                body.TryGetProperty("detail", out var detail) ? detail.GetString() : null,
                errors);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return new AuthProblem(null, null, new Dictionary<string, string>());
        }
    }
}
