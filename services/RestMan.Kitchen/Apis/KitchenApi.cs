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
        var rules = new InputRules();
        var statuses = (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToUpperInvariant()).Distinct().ToList();
        if (statuses.Any(s => !TicketStatus.IsKnown(s))) rules.Add("status", $"must be one or more of {string.Join(", ", TicketStatus.All)}, comma-separated.");
        var restaurant = rules.OptionalId(restaurantId, "restaurant_id", "a restaurant id");
        var order = rules.OptionalId(orderId, "order_id", "an order id");
        var (pageNumber, size) = Paging.Parse(page, pageSize, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        if (user.IsInRole(Roles.KitchenStaff) && user.RestaurantId() is null) return Problems.Forbidden("This kitchen account is not bound to a restaurant.");
        if (await services.Scope.ResolveAsync(user, restaurant, ct) is not { } scope) return Problems.NotFound("The restaurant");

        var (tickets, total) = await services.Tickets.ListAsync(new TicketFilter(scope, statuses, order), pageNumber, size, ct);
        return TypedResults.Ok(new TicketPage(tickets.Select(TicketResponse.From).ToList(), pageNumber, size, total));
    }

    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> GetTicketAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] KitchenServices services, CancellationToken ct)
    {
        var ticket = await services.Tickets.FindAsync(id, ct);
        return ticket is not null && await services.Scope.CanSeeAsync(user, ticket.RestaurantId, ct)
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
            // A table order's ticket names its round: Orders tracks each round rather than moving the order.
            tx.Publish(new OrderStatusUpdated(ticket.OrderId, ticket.Status, target!, Roles.KitchenStaff, staffId, now, ticket.IsTableOrder ? ticket.Round : null));
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
