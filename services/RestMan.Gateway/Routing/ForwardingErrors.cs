using Yarp.ReverseProxy.Forwarder;

namespace RestMan.Gateway.Routing;

/// <summary>
/// A service the gateway cannot reach (stopped, restarting, refusing connections, timing out) is a 503 problem+json
/// with Retry-After, like any other dependency outage — never YARP's bare 502/504. It answers what
/// <see cref="ForwardingRetry"/> could not (or must not) send again.
/// </summary>
public sealed class ForwardingErrors(RequestDelegate next, ILogger<ForwardingErrors> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var failure = context.GetForwarderErrorFeature();
        // A client that went away needs no answer; one already under way cannot be replaced.
        if (failure is null || failure.Error == ForwarderError.RequestCanceled || context.Response.HasStarted) return;

        var (status, code, detail) = failure.Error switch
        {
            // The client's own body was the trouble (too large, cut off): its fault, told as such.
            ForwarderError.RequestBodyClient when BadRequest(failure.Exception) is { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (StatusCodes.Status413PayloadTooLarge, "payload_too_large", "The request body is too large."),
            ForwarderError.RequestBodyClient => (StatusCodes.Status400BadRequest, "bad_request", "The request body could not be read."),
            _ => (StatusCodes.Status503ServiceUnavailable, "service_unavailable", "The service behind this route is unavailable right now; try again shortly."),
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
            logger.LogWarning(failure.Exception, "{Method} {Path}: the service could not be reached ({Error})",
                context.Request.Method, context.Request.Path, failure.Error);
        context.Response.Clear();
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail, Extensions = { ["code"] = code } },
        });
    }

    private static BadHttpRequestException? BadRequest(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
            if (current is BadHttpRequestException bad) return bad;
        return null;
    }
}
