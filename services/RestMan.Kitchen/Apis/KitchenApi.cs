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
        api.MapPatch("/{id:guid}/items/{lineNo:int}/status", ChangeItemStatusAsync).RequireAuthorization(Roles.KitchenStaff);
        api.MapPatch("/{id:guid}/priority", ChangePriorityAsync).RequireAuthorization(p => p.RequireRole(Roles.KitchenStaff, Roles.Waiter, Roles.Owner));

        return api;
    }

    /// <summary>
    /// <c>?status=NEW,ACCEPTED&amp;restaurant_id=&amp;order_id=&amp;station_id=&amp;page=&amp;page_size=</c>; staff get their restaurant's
    /// tickets, an owner those of all their restaurants or of the one named.
    /// </summary>
    public static async Task<Results<Ok<TicketPage>, ProblemHttpResult>> ListTicketsAsync(
        ClaimsPrincipal user,
        [FromQuery] string? status,
        [FromQuery(Name = "restaurant_id")] string? restaurantId,
        [FromQuery(Name = "order_id")] string? orderId,
        [FromQuery(Name = "station_id")] string? stationId,
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
        var station = rules.OptionalId(stationId, "station_id", "a station id");
        var (pageNumber, size) = Paging.Parse(page, pageSize, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        if (user.IsInRole(Roles.KitchenStaff) && user.RestaurantId() is null) return Problems.Forbidden("This kitchen account is not bound to a restaurant.");
        if (await services.Scope.ResolveAsync(user, restaurant, ct) is not { } scope) return Problems.NotFound("The restaurant");

        var (tickets, total) = await services.Tickets.ListAsync(new TicketFilter(scope, statuses, order, station), pageNumber, size, ct);
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

    /// <summary>
    /// Raises or lowers a ticket's priority (normal, high, urgent), announced as <c>kitchen.ticket_prioritized</c>:
    /// the kitchen display shows urgent tickets first, then high, then by age. Kitchen staff and waiters of the
    /// ticket's restaurant, or its owner; a ticket no longer in the kitchen keeps its priority (409).
    /// </summary>
    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> ChangePriorityAsync(
        Guid id, ChangeTicketPriorityRequest request, ClaimsPrincipal user, [AsParameters] KitchenServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var priority = rules.OneOf(request.Priority?.Trim(), "priority", TicketPriority.All);
        if (priority is null && !rules.Has("priority")) rules.Add("priority", $"is required: one of {string.Join(", ", TicketPriority.All)}.");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        var visible = await services.Scope.VisibleAsync(user, ct);
        var staffId = user.UserId();

        var outcome = await services.Database.InTransactionAsync<StatusChange>(async tx =>
        {
            var ticket = await services.Tickets.LockAsync(tx, id, ct);
            if (ticket is null || !visible.Contains(ticket.RestaurantId)) return new StatusChange.NotFound();
            if (ticket.Priority == priority) return new StatusChange.Moved();
            if (!TicketStatusMachine.CanWorkLines(ticket.Status)) return new StatusChange.Refused(ticket.Status);
            var now = tx.Clock.GetUtcNow();
            await services.Tickets.SetPriorityAsync(tx, ticket.Id, priority!, now, ct);
            tx.Publish(new KitchenTicketPrioritized
            {
                TicketId = ticket.Id, OrderId = ticket.OrderId, RestaurantId = ticket.RestaurantId, Round = ticket.Round, At = now,
                Priority = priority!, PreviousPriority = ticket.Priority,
                StationId = ticket.StationId == StationRouting.WholeKitchen ? null : ticket.StationId, ChangedByUserId = staffId,
            });
            return new StatusChange.Moved();
        }, ct);
        return outcome switch
        {
            StatusChange.Moved => TypedResults.Ok(TicketResponse.From((await services.Tickets.FindAsync(id, ct))!)),
            StatusChange.Refused refused => Problems.Conflict("illegal_transition", $"A ticket that is {refused.From} is no longer in the kitchen: its priority stays."),
            _ => Problems.NotFound("The ticket"),
        };
    }

    /// <summary>
    /// One step along NEW → ACCEPTED → IN_PROGRESS → READY → DELIVERED_TO_SERVICE, announced as a <c>kitchen.ticket_*</c>
    /// event. The whole-ticket move the first implementation's clients use: READY bumps every line still open.
    /// </summary>
    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> ChangeStatusAsync(
        Guid id, ChangeTicketStatusRequest request, ClaimsPrincipal user, [AsParameters] KitchenServices services, CancellationToken ct)
    {
        var target = request.Status?.Trim().ToUpperInvariant();
        if (!TicketStatus.IsKnown(target)) return Problems.Validation("status", $"must be one of {string.Join(", ", TicketStatus.Path.Skip(1))}.");
        var rules = new InputRules();
        var estimate = Estimates.Read(rules, target!, request.EstimatedMinutes, request.EstimatedReadyAt, services.Clock.GetUtcNow());
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        var staffId = user.UserId();
        var restaurant = user.RestaurantId();

        var outcome = await services.Database.InTransactionAsync<StatusChange>(async tx =>
        {
            var ticket = await services.Tickets.LockAsync(tx, id, ct);
            if (ticket is null || ticket.RestaurantId != restaurant) return new StatusChange.NotFound();
            if (target == TicketStatus.Cancelled || !TicketStatusMachine.CanMove(ticket.Status, target!)) return new StatusChange.Refused(ticket.Status);

            var now = tx.Clock.GetUtcNow();
            if (target == TicketStatus.Ready) await services.Tickets.BumpAllAsync(tx, ticket.Id, now, ct);
            if (estimate is { } readyAt) await services.Tickets.SetEstimateAsync(tx, ticket.Id, readyAt, ct);
            await services.Progress.MoveAsync(tx, ticket, target!, staffId, now, ct, estimate);
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

    /// <summary>
    /// Starts (IN_PROGRESS) or bumps (READY) one line of a ticket still being cooked (<c>kitchen.item_started</c> /
    /// <c>kitchen.item_bumped</c>). The ticket follows: IN_PROGRESS at the first line worked, READY when the last
    /// live line is bumped. Asking again for a line's current status changes nothing.
    /// </summary>
    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> ChangeItemStatusAsync(
        Guid id, int lineNo, ChangeTicketItemStatusRequest request, ClaimsPrincipal user, [AsParameters] KitchenServices services, CancellationToken ct)
    {
        var target = request.Status?.Trim().ToUpperInvariant();
        if (target is null || !TicketItemStatus.Settable.Contains(target))
            return Problems.Validation("status", $"must be one of {string.Join(", ", TicketItemStatus.Settable)}.");
        var staffId = user.UserId();
        var restaurant = user.RestaurantId();

        var outcome = await services.Database.InTransactionAsync<StatusChange>(async tx =>
        {
            var ticket = await services.Tickets.LockAsync(tx, id, ct);
            if (ticket is null || ticket.RestaurantId != restaurant) return new StatusChange.NotFound();
            var lines = await services.Tickets.ItemsAsync(tx, ticket.Id, ct);
            if (lines.FirstOrDefault(l => l.LineNo == lineNo) is not { } line) return new StatusChange.NotFound();
            if (line.Status == target || (line.Status == TicketItemStatus.Ready && target == TicketItemStatus.InProgress)) return new StatusChange.Moved();
            if (line.Voided || !TicketStatusMachine.CanWorkLines(ticket.Status)) return new StatusChange.Refused(line.Voided ? TicketItemStatus.Voided : ticket.Status);

            var now = tx.Clock.GetUtcNow();
            await services.Tickets.WorkLineAsync(tx, ticket.Id, lineNo, target, now, ct);
            var orderLine = line.OrderLineNo ?? lineNo;
            tx.Publish(target == TicketItemStatus.Ready
                ? KitchenItemWork.Create<KitchenItemBumped>(ticket.Id, ticket.OrderId, ticket.RestaurantId, ticket.Round, lineNo, orderLine, staffId, now)
                : KitchenItemWork.Create<KitchenItemStarted>(ticket.Id, ticket.OrderId, ticket.RestaurantId, ticket.Round, lineNo, orderLine, staffId, now));
            var worked = lines.Select(l => l.LineNo != lineNo ? l
                : l with { StartedAt = l.StartedAt ?? now, BumpedAt = target == TicketItemStatus.Ready ? now : l.BumpedAt }).ToList();
            var next = TicketStatusMachine.AfterLineWork(ticket.Status, worked);
            // Straight from NEW to READY still passes IN_PROGRESS, so Orders sees every step of the order.
            if (next == TicketStatus.Ready && ticket.Status != TicketStatus.InProgress)
            {
                await services.Progress.MoveAsync(tx, ticket, TicketStatus.InProgress, staffId, now, ct);
                ticket = ticket with { Status = TicketStatus.InProgress };
            }
            if (next != ticket.Status) await services.Progress.MoveAsync(tx, ticket, next, staffId, now, ct);
            return new StatusChange.Moved();
        }, ct);
        return outcome switch
        {
            StatusChange.Moved => TypedResults.Ok(TicketResponse.From((await services.Tickets.FindAsync(id, ct))!)),
            StatusChange.Refused refused => Problems.Conflict("illegal_transition", refused.From == TicketItemStatus.Voided
                ? "This line was taken off the order: there is nothing to cook."
                : $"The lines of a ticket that is {refused.From} are no longer worked."),
            _ => Problems.NotFound("The ticket line"),
        };
    }
}
