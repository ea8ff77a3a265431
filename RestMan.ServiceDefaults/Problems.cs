using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// RFC 9457 problem+json answers with a stable machine-readable <c>code</c>. Endpoints return them in typed results
/// (<c>Results&lt;Ok&lt;T&gt;, ProblemHttpResult&gt;</c>): the success shape comes from the type, the problem responses
/// from <see cref="OpenApiDefaults"/>.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Validation(string field, string message) => Validation(new Dictionary<string, string> { [field] = message });

    /// <summary>400 naming every field that is wrong: <c>errors: { field: [message] }</c>.</summary>
    public static ProblemHttpResult Validation(IReadOnlyDictionary<string, string> errors) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "The request is not valid.",
        detail: string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value}")),
        extensions: new Dictionary<string, object?>
        {
            ["code"] = "validation_failed",
            ["errors"] = errors.ToDictionary(e => e.Key, e => new[] { e.Value }),
        });

    public static ProblemHttpResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, "not_found", $"{what} was not found.");
    public static ProblemHttpResult Conflict(string code, string detail) => Problem(StatusCodes.Status409Conflict, code, detail);
    public static ProblemHttpResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "forbidden", detail);
    public static ProblemHttpResult Unauthorized(string detail) => Problem(StatusCodes.Status401Unauthorized, "unauthorized", detail);

    public static ProblemHttpResult Problem(int status, string code, string detail) => TypedResults.Problem(
        statusCode: status, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>Seconds a client should wait before retrying after a 503: a dependency restarting is back within that.</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>
    /// Adds the trace id and a default code to every problem, including ones the framework writes, and Retry-After to
    /// every 503: a client must know it may retry and when.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var headers = context.HttpContext.Response.Headers;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable && !headers.ContainsKey("Retry-After"))
            headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        problem.Extensions["trace_id"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        if (!problem.Extensions.ContainsKey("code"))
            problem.Extensions["code"] = problem.Status switch
            {
                400 => "bad_request",
                401 => "unauthorized",
                403 => "forbidden",
                404 => "not_found",
                405 => "method_not_allowed",
                409 => "conflict",
                413 => "payload_too_large",
                415 => "unsupported_media_type",
                429 => "too_many_requests",
                503 => "service_unavailable",
                _ => "internal_error",
            };
    }
}

/// <summary>
/// Unreadable bodies become a 400 naming the JSON path; an unreachable dependency (the database restarting, a socket
/// refused) a 503 with Retry-After, since nothing was half-written and trying again shortly will work; anything else a
/// 500 without internals.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        int status;
        string code, detail;
        var extensions = new Dictionary<string, object?>();
        switch (exception)
        {
            case BadHttpRequestException bad when bad.InnerException is JsonException json:
                status = StatusCodes.Status400BadRequest;
                code = "invalid_json";
                var field = (json.Path ?? "$").TrimStart('$', '.');
                detail = $"The body is not valid JSON for this request{(field.Length > 0 ? $" at '{field}'" : "")}.";
                extensions["errors"] = new Dictionary<string, string[]> { [field.Length > 0 ? field : "body"] = [detail] };
                break;
            case BadHttpRequestException bad:
                status = bad.StatusCode;
                code = status == StatusCodes.Status413PayloadTooLarge ? "payload_too_large" : "bad_request";
                detail = bad.Message;
                // Binding failed before any validator ran (e.g. no body at all): still name what is wrong.
                if (status == StatusCodes.Status400BadRequest)
                {
                    var (name, message) = bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                        ? ("body", "A JSON body is required.")
                        : ("request", bad.Message);
                    detail = message;
                    extensions["errors"] = new Dictionary<string, string[]> { [name] = [message] };
                }
                break;
            case var _ when Outages.IsOutage(exception):
                logger.LogWarning("{Method} {Path} answered 503: a dependency is unavailable ({Error})",
                    context.Request.Method, context.Request.Path, exception.Message);
                status = StatusCodes.Status503ServiceUnavailable;
                code = "service_unavailable";
                detail = "A service this request needs is unavailable right now; nothing was changed. Try again shortly.";
                break;
            default:
                logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
                status = StatusCodes.Status500InternalServerError;
                code = "internal_error";
                detail = "Something went wrong on our side.";
                break;
        }
        extensions["code"] = code;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = detail, Extensions = extensions },
        });
    }
}
