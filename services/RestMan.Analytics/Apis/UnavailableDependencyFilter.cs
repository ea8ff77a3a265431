using RestMan.ClickHouse;
using RestMan.Identity.Ownership;

namespace RestMan.Analytics.Apis;

/// <summary>
/// ClickHouse or the Restaurants service failing is a 503 the client may retry, never a 500; ClickHouse's own text
/// (which can quote the SQL) goes to the log only.
/// </summary>
public sealed class UnavailableDependencyFilter(ILogger<UnavailableDependencyFilter> logger) : IEndpointFilter
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
        catch (RestaurantsUnavailableException ex)
        {
            logger.LogError(ex, "Could not learn the caller's restaurants");
            return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "restaurants_unavailable",
                "Analytics cannot tell which restaurants are yours right now; try again in a moment.");
        }
    }
}
