using Yarp.ReverseProxy.Forwarder;

namespace RestMan.Gateway.Routing;

/// <summary>
/// A service the gateway cannot reach (stopped, restarting, refusing connections, timing out) is a 503 problem+json
/// with Retry-After, like any other dependency outage — never YARP's bare 502/504.
/// </summary>
public sealed class ForwardingErrors(RequestDelegate next, ILogger<ForwardingErrors> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var failure = context.GetForwarderErrorFeature();
        // A client that went away needs no answer; one already under way cannot be replaced.
        if (failure is null || failure.Error == ForwarderError.RequestCanceled || context.Response.HasStarted) return;

        logger.LogWarning(failure.Exception, "{Method} {Path}: the service could not be reached ({Error})",
            context.Request.Method, context.Request.Path, failure.Error);
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Detail = "The service behind this route is unavailable right now; try again shortly.",
                Extensions = { ["code"] = "service_unavailable" },
            },
        });
    }
}
