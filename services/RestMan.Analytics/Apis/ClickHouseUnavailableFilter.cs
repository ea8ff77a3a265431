using RestMan.ClickHouse;

namespace RestMan.Analytics.Apis;

/// <summary>
/// ClickHouse failing is a 503 the client may retry, never a 500; ClickHouse's own text
/// (which can quote the SQL) goes to the log only.
/// </summary>
public sealed class ClickHouseUnavailableFilter(ILogger<ClickHouseUnavailableFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ClickHouseException ex)
        {
            logger.LogError(ex, "ClickHouse failed a report query (code {ClickHouseCode})", ex.ErrorCode);
            return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "analytics_unavailable",
                "Analytics cannot answer right now; try again in a moment.");
        }
    }
}
