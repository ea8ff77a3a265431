using System.Net;
using System.Text.Json;

namespace RestMan.Web.Gateway;

/// <summary>What went wrong with an API call, in words a person at the counter understands.</summary>
public sealed record ApiError(int Status, string Message, IReadOnlyDictionary<string, string> Fields)
{
    public static readonly IReadOnlyDictionary<string, string> NoFields = new Dictionary<string, string>();

    public static ApiError Unreachable { get; } =
        new(503, "RestMan cannot reach that part of the kitchen right now. Nothing was lost; try again in a moment.", NoFields);

    /// <summary>Reads a problem+json answer (RFC 9457 with <c>errors</c> per field) into plain words.</summary>
    public static async Task<ApiError> FromResponseAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string? detail = null;
        var fields = new Dictionary<string, string>();
        try
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (body.Length > 0 && body.TrimStart().StartsWith('{'))
            {
                using var problem = JsonDocument.Parse(body);
                if (problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String) detail = d.GetString();
                if (problem.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                    foreach (var field in errors.EnumerateObject())
                        fields[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                            ? string.Join(" ", field.Value.EnumerateArray().Select(e => e.ToString()))
                            : field.Value.ToString();
            }
        }
        catch (JsonException)
        {
            // Not problem+json (e.g. a proxy's page): the status alone decides the words.
        }

        var status = (int)response.StatusCode;
        var message = response.StatusCode switch
        {
            HttpStatusCode.BadRequest when fields.Count > 0 =>
                "Please check: " + string.Join("; ", fields.Select(f => $"{Label(f.Key)} {f.Value}")),
            HttpStatusCode.BadRequest => detail ?? "Something in the form is not right.",
            HttpStatusCode.Unauthorized => "Your session has ended. Please sign in again.",
            HttpStatusCode.Forbidden => "Your account is not allowed to do this.",
            HttpStatusCode.NotFound => detail ?? "That no longer exists.",
            HttpStatusCode.Conflict => "That change is not possible now: " + (detail ?? "someone changed it first.") + " The screen shows the current state.",
            HttpStatusCode.TooManyRequests => "Too many tries in a short time. "
                + (response.Headers.RetryAfter?.Delta is { } wait ? $"Try again in {Math.Ceiling(wait.TotalSeconds)} seconds." : "Try again shortly."),
            HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout => Unreachable.Message,
            _ when status >= 500 => "Something went wrong on our side. Try again in a moment.",
            _ => detail ?? $"The request was refused ({status}).",
        };
        return new ApiError(status, message, fields);
    }

    private static string Label(string field) => field.Replace('_', ' ') switch
    {
        var f when f.Length > 0 => char.ToUpperInvariant(f[0]) + f[1..],
        var f => f,
    };
}

/// <summary>An API answer: the value, or the error to show.</summary>
public sealed class ApiResult<T>
{
    private ApiResult(T? value, ApiError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }
    public ApiError? Error { get; }
    public bool Ok => Error is null;

    public static ApiResult<T> Success(T value) => new(value, null);
    public static ApiResult<T> Failure(ApiError error) => new(default, error);
}
