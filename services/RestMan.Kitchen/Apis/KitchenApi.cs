using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
using RestMan.Messaging;
using RestMan.Identity.Ownership;
using RestMan.Kitchen.Infrastructure;
using RestMan.Kitchen.Model;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Kitchen.Apis;

/// <summary>
/// The kitchen's tickets. Staff see and work only their own restaurant's; the owner may read them. A ticket of
/// another restaurant does not exist for the caller (404).
/// </summary>
public static class KitchenApi
{
    public static RouteGroupBuilder MapKitchenApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/kitchen/tickets").AddEndpointFilter<RestaurantsUnavailableFilter>();

        api.MapGet("", ListTicketsAsync).RequireAuthorization(p => p.RequireRole(Roles.KitchenStaff, Roles.Owner));
        api.MapGet("/{id:guid}", GetTicketAsync).RequireAuthorization(p => p.RequireRole(Roles.KitchenStaff, Roles.Owner));
        api.MapPatch("/{id:guid}/status", ChangeStatusAsync).RequireAuthorization(Roles.KitchenStaff);

        return api;
    }

    /// <summary>
    /// <c>?status=NEW,ACCEPTED&amp;restaurant_id=&amp;order_id=&amp;page=&amp;page_size=</c>; staff get their restaurant's
    /// tickets, an owner those of all their restaurants or of the one named.
    /// </summary>
    public static async Task<Results<Ok<TicketPage>, ProblemHttpResult>> ListTicketsAsync(
        ClaimsPrincipal user,
        [FromQuery] string? status,
        [FromQuery(Name = "restaurant_id")] string? restaurantId,
        [FromQuery(Name = "order_id")] string? orderId,
        [FromQuery] string? page,
        [FromQuery(Name = "page_size")] string? pageSize,
        [AsParameters] KitchenServices services,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var statuses = (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToUpperInvariant()).Distinct().ToList();
        if (statuses.Any(s => !TicketStatus.IsKnown(s))) errors["status"] = $"must be one or more of {string.Join(", ", TicketStatus.All)}, comma-separated.";
        Guid? restaurant = null, order = null;
        if (restaurantId is not null)
        {
            if (Guid.TryParse(restaurantId, out var parsed)) restaurant = parsed;
            else errors["restaurant_id"] = "must be a restaurant id.";
        }
        if (orderId is not null)
        {
            if (Guid.TryParse(orderId, out var parsed)) order = parsed;
            else errors["order_id"] = "must be an order id.";
        }
        var (pageNumber, size) = Paging.Parse(page, pageSize, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        IReadOnlyList<Guid> scope;
        if (user.IsInRole(Roles.KitchenStaff))
        {
            if (user.RestaurantId() is not { } own) return Problems.Forbidden("This kitchen account is not bound to a restaurant.");
            scope = [own];
        }
        else scope = await services.OwnedRestaurants.OwnedByAsync(user, ct);
        if (restaurant is not null)
        {
            if (!scope.Contains(restaurant.Value)) return Problems.NotFound("The restaurant");
            scope = [restaurant.Value];
        }

        var (tickets, total) = await services.Tickets.ListAsync(new TicketFilter(scope, statuses, order), pageNumber, size, ct);
        return TypedResults.Ok(new TicketPage(tickets.Select(TicketResponse.From).ToList(), pageNumber, size, total));
    }

    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> GetTicketAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] KitchenServices services, CancellationToken ct)
    {
        var ticket = await services.Tickets.FindAsync(id, ct);
        if (ticket is null) return Problems.NotFound("The ticket");
        if (user.IsInRole(Roles.KitchenStaff))
            return ticket.RestaurantId == user.RestaurantId() ? TypedResults.Ok(TicketResponse.From(ticket)) : Problems.NotFound("The ticket");
        return (await services.OwnedRestaurants.OwnedByAsync(user, ct)).Contains(ticket.RestaurantId)
            ? TypedResults.Ok(TicketResponse.From(ticket))
            : Problems.NotFound("The ticket");
    }

    /// <summary>One step along NEW → ACCEPTED → IN_PROGRESS → READY → DELIVERED_TO_SERVICE, announced as <c>order.status_updated</c>.</summary>
    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> ChangeStatusAsync(
        Guid id, ChangeTicketStatusRequest request, ClaimsPrincipal user, [AsParameters] KitchenServices services, CancellationToken ct)
    {
        var target = request.Status?.Trim().ToUpperInvariant();
        if (!TicketStatus.IsKnown(target)) return Problems.Validation("status", $"must be one of {string.Join(", ", TicketStatus.Path.Skip(1))}.");
        var staffId = user.UserId();
        var restaurant = user.RestaurantId();

        var outcome = await services.Database.InTransactionAsync<StatusChange>(async tx =>
        {
            var ticket = await services.Tickets.LockAsync(tx, id, ct);
            if (ticket is null || ticket.RestaurantId != restaurant) return new StatusChange.NotFound();
            if (target == TicketStatus.Cancelled || !TicketStatusMachine.CanMove(ticket.Status, target!)) return new StatusChange.Refused(ticket.Status);

            var now = tx.Clock.GetUtcNow();
            tx.Publish(new OrderStatusUpdated(ticket.OrderId, ticket.Status, target!, Roles.KitchenStaff, staffId, now));
            await services.Tickets.ChangeStatusAsync(tx, ticket.Id, target!, now, ct);
            return new StatusChange.Moved();
        }, ct);
        return outcome switch
        {
            StatusChange.Moved => TypedResults.Ok(TicketResponse.From((await services.Tickets.FindAsync(id, ct))!)),
            StatusChange.Refused refused => Problems.Conflict("illegal_transition", target == TicketStatus.Cancelled
                ? "A ticket is cancelled by cancelling its order, not in the kitchen."
                : $"A ticket that is {refused.From} cannot become {target}."),
            _ => Problems.NotFound("The ticket"),
        };
    }
}
