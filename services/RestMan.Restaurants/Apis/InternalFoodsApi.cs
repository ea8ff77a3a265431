using Microsoft.AspNetCore.Http.HttpResults;
using RestMan.Restaurants.Infrastructure;
using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Apis;

/// <summary>
/// Foods by id for the Orders service, which prices orders from here and never from the client. Internal: the gateway
/// never routes <c>/internal</c>, and only a signed service identity gets in.
/// </summary>
public static class InternalFoodsApi
{
    public const int MaxIds = 100;

    public static RouteGroupBuilder MapInternalFoodsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/foods").RequireAuthorization(Roles.Service);

        api.MapGet("", GetFoodsAsync);

        return api;
    }

    /// <summary>
    /// <c>?ids=a,b,…</c> (or repeated <c>ids</c>), at most 100 distinct: each known food with its restaurant, name, price,
    /// availability and whether its restaurant takes orders (so Orders needs no second call). Deleted foods are returned unavailable; unknown ids are simply absent.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<InternalFood>>, ProblemHttpResult>> GetFoodsAsync(HttpRequest request, FoodRepository foods, CancellationToken ct)
    {
        var ids = new HashSet<Guid>();
        foreach (var value in request.Query["ids"])
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Guid.TryParse(part, out var id))
                    return Problems.Validation("ids", $"'{(part.Length > 40 ? part[..40] + "…" : part)}' is not a food id.");
                if (ids.Add(id) && ids.Count > MaxIds)
                    return Problems.Validation("ids", $"must name at most {MaxIds} foods.");
            }
        }
        if (ids.Count == 0) return Problems.Validation("ids", "is required: a comma-separated list of food ids.");

        return TypedResults.Ok(await foods.FindForOrderingAsync(ids, ct));
    }
}
