using RestMan.Data;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Orders.Model;

namespace RestMan.Orders.Infrastructure;

/// <summary>How opening a table's order ended.</summary>
public abstract record TableOpening
{
    public sealed record Opened(Order Order, DiningTable Table) : TableOpening;

    /// <summary>No such table in service.</summary>
    public sealed record TableNotFound : TableOpening;

    /// <summary>The table cannot take a party now (OCCUPIED, or NEEDS_CLEANING); its status and open order say why.</summary>
    public sealed record TableNotFree(DiningTable Table) : TableOpening;

    /// <summary>The waiter's Idempotency-Key already opened this order.</summary>
    public sealed record Replayed(Guid OrderId) : TableOpening;

    public sealed record KeyReused : TableOpening;
}

/// <summary>How a change of a table order (a round, a removal, a move, a merge) ended; the endpoint maps it to its answer.</summary>
public abstract record TableOrderChange
{
    public sealed record Changed : TableOrderChange;

    /// <summary>The same request came before (same Idempotency-Key, same body) or the change is already there: nothing more to do.</summary>
    public sealed record AlreadyDone : TableOrderChange;

    public sealed record NotFound(string What) : TableOrderChange;

    /// <summary>Paid, cancelled or merged: a closed order never changes. <see cref="Why"/> says which.</summary>
    public sealed record Closed(string Why) : TableOrderChange;

    public sealed record KeyReused : TableOrderChange;

    /// <summary>The rules refuse it: <see cref="Code"/> names the rule for clients.</summary>
    public sealed record Refused(string Code, string Detail) : TableOrderChange;
}

/// <summary>
/// A table's order through the evening, each change one transaction with its events: opened at a table (the table
/// OCCUPIED), rounds added (each its own kitchen ticket), a line the kitchen has not started removed, moved to another
/// table, merged into another table's order, and closed when its bill is paid (the table NEEDS_CLEANING).
/// </summary>
public sealed class TableOrders(OrderRepository orders, TableRepository tables, OrderLifecycle lifecycle, OrderNumbers numbers)
{
    /// <summary>
    /// Opens the dine-in order of a table inside the caller's transaction (a waiter's request, or a reservation being
    /// seated): the table becomes OCCUPIED with it and <c>order.placed</c> carries table, covers, reservation and the
    /// order's number. <paramref name="firstRound"/>, when given, is round 1 and goes to the kitchen at once.
    /// </summary>
    public async Task<TableOpening> OpenAsync(
        UnitOfWork tx, StatusChanger openedBy, Guid tableId, int covers, Guid? reservationId,
        IReadOnlyList<OrderLine>? firstRound = null, string? notes = null, IdempotencyKey? key = null, CancellationToken ct = default)
    {
        if (key is not null && await orders.FindIdempotencyKeyAsync(tx, key.CustomerId, key.Key, ct) is { } earlier)
            return earlier.Fingerprint == key.Fingerprint ? new TableOpening.Replayed(earlier.OrderId) : new TableOpening.KeyReused();

        var table = await tables.LockAsync(tx, tableId);
        if (table is not { RemovedAt: null }) return new TableOpening.TableNotFound();
        if (!TableStatus.CanSeat(table.Status)) return new TableOpening.TableNotFree(table);

        var (number, day) = await numbers.NextAsync(table.RestaurantId, ct);
        var now = DatabaseTime.Stored(tx.Clock.GetUtcNow());
        var lines = (firstRound ?? []).Select((line, i) => line with { LineNo = i + 1, Round = 1 }).ToList();
        var order = new Order(Guid.NewGuid(), openedBy.UserId ?? Guid.Empty, table.RestaurantId, OrderType.DineIn, OrderStatus.Placed,
            OrderPlacement.Total(lines), OrderPlacement.Clean(notes), null, now, now, null, null)
        {
            Items = lines,
            OrderNumber = number,
            ServiceDay = day,
            TableId = table.Id,
            Covers = covers,
            ReservationId = reservationId,
            Rounds = lines.Count > 0 ? 1 : 0,
        };

        tx.Publish(new OrderPlaced(order.Id, order.UserId, order.RestaurantId, order.OrderType, order.TotalPrice,
            lines.Select(i => i.ToPlacedItem()).ToList(),
            order.PlacedAt, order.Notes, null, number, table.Id, covers, reservationId, table.Number));
        await orders.InsertAsync(tx, order, key, ct);
        var seated = await tables.OccupyAsync(tx, table, order.Id, openedBy.Role, openedBy.UserId);
        return new TableOpening.Opened(order, seated);
    }

    /// <summary>Adds a round (already priced from the menu) to an open table order: one kitchen ticket, a bigger bill.</summary>
    public async Task<TableOrderChange> AddRoundAsync(
        UnitOfWork tx, Guid orderId, IReadOnlyList<OrderLine> lines, string? notes, StatusChanger by, TableOrderRequest? request, CancellationToken ct)
    {
        var (order, refusal) = await LockOpenAsync(tx, orderId, request, ct);
        if (refusal is not null) return refusal;
        var total = Money.Round(order!.TotalPrice + OrderPlacement.Total(lines));
        if (total > OrderPlacement.MaxTotal)
            return new TableOrderChange.Refused("order_too_large", $"A table order may total at most {OrderPlacement.MaxTotal}.");

        var round = order.Rounds + 1;
        var lastLine = await orders.LastLineNoAsync(tx, orderId, ct);
        var numbered = lines.Select((line, i) => line with { LineNo = lastLine + i + 1, Round = round }).ToList();
        var at = DatabaseTime.NextChange(tx.Clock.GetUtcNow(), order.UpdatedAt);
        var table = order.TableId is { } tableId ? await tables.FindAsync(tableId, ct) : null;
        tx.Publish(new OrderItemsAdded(order.Id, order.RestaurantId, order.OrderNumber, order.TableId, table?.Number, round,
            numbered.Select(l => l.ToRoundItem()).ToList(),
            total, by.Role, by.UserId, at, OrderPlacement.Clean(notes)));
        await orders.AddRoundAsync(tx, order, round, numbered, total, request, at, ct);
        return new TableOrderChange.Changed();
    }

    /// <summary>Takes a line off while its round's ticket is still NEW; the kitchen voids it and the bill shrinks.</summary>
    public async Task<TableOrderChange> RemoveItemAsync(
        UnitOfWork tx, Guid orderId, int lineNo, StatusChanger by, TableOrderRequest? request, CancellationToken ct)
    {
        var (order, refusal) = await LockOpenAsync(tx, orderId, request, ct);
        if (refusal is not null) return refusal;
        var found = await orders.FindLineAsync(tx, orderId, lineNo, ct);
        if (found is null) return new TableOrderChange.NotFound("The order line");
        // A retry after the line went: the removal it asked for is done.
        if (found.Removed) return new TableOrderChange.AlreadyDone();
        if (!TableOrderRules.CanRemove(found.KitchenStatus))
            return new TableOrderChange.Refused("kitchen_started",
                $"The kitchen has started round {found.Line.Round} ({found.KitchenStatus}); its lines can no longer be removed.");

        var total = Money.Round(order!.TotalPrice - found.Line.LineTotal);
        var at = DatabaseTime.NextChange(tx.Clock.GetUtcNow(), order.UpdatedAt);
        tx.Publish(new OrderItemRemoved(order.Id, order.RestaurantId, found.Line.Round, lineNo, found.Line.FoodId, found.Line.FoodName,
            found.Line.Quantity, found.Line.LineTotal, total, by.Role, by.UserId, at));
        await orders.RemoveLineAsync(tx, orderId, lineNo, total, request, at, ct);
        return new TableOrderChange.Changed();
    }

    /// <summary>Seats the order at another free table: the new table OCCUPIED, the old one NEEDS_CLEANING.</summary>
    public async Task<TableOrderChange> MoveAsync(
        UnitOfWork tx, Guid orderId, Guid toTableId, StatusChanger by, TableOrderRequest? request, CancellationToken ct)
    {
        var (order, refusal) = await LockOpenAsync(tx, orderId, request, ct);
        if (refusal is not null) return refusal;
        if (order!.TableId == toTableId) return new TableOrderChange.AlreadyDone();

        // Both tables locked in id order, so two moves between the same tables cannot deadlock.
        var ids = new[] { order.TableId!.Value, toTableId }.Order().ToArray();
        var locked = new Dictionary<Guid, DiningTable?>();
        foreach (var id in ids) locked[id] = await tables.LockAsync(tx, id);
        var to = locked[toTableId];
        if (to is not { RemovedAt: null } || to.RestaurantId != order.RestaurantId) return new TableOrderChange.NotFound("The table");
        if (!TableStatus.CanSeat(to.Status))
            return new TableOrderChange.Refused("table_not_free", $"Table {to.Number} is {to.Status}; it cannot take this party now.");

        var at = DatabaseTime.NextChange(tx.Clock.GetUtcNow(), order.UpdatedAt);
        tx.Publish(new OrderTableMoved(order.Id, order.RestaurantId, order.TableId.Value, to.Id, to.Number, by.Role, by.UserId, at));
        await orders.MoveTableAsync(tx, order.Id, to.Id, request, at, ct);
        await LeaveTableAsync(tx, locked[order.TableId.Value], order.Id, by);
        await tables.OccupyAsync(tx, to, order.Id, by.Role, by.UserId);
        return new TableOrderChange.Changed();
    }

    /// <summary>
    /// Merges this table's order into another open table order of the restaurant: the lines (and kitchen tickets) move
    /// there, this order ends CANCELLED pointing to it, and its table NEEDS_CLEANING.
    /// </summary>
    public async Task<TableOrderChange> MergeAsync(
        UnitOfWork tx, Guid orderId, Guid intoOrderId, StatusChanger by, TableOrderRequest? request, CancellationToken ct)
    {
        if (orderId == intoOrderId) return new TableOrderChange.Refused("same_order", "An order cannot be merged into itself.");
        // Both orders locked in id order, so two merges of the same pair cannot deadlock.
        Order? from = null, into = null;
        TableOrderChange? refusal = null;
        foreach (var id in new[] { orderId, intoOrderId }.Order())
        {
            if (id == orderId)
            {
                (from, var closed) = await LockOpenAsync(tx, orderId, request, ct);
                if (closed is TableOrderChange.Closed && from?.MergedIntoOrderId == intoOrderId) return new TableOrderChange.AlreadyDone();
                refusal ??= closed;
            }
            else into = await orders.LockAsync(tx, id, ct);
        }
        if (refusal is not null) return refusal;
        if (into is null || !into.IsTableOrder || into.RestaurantId != from!.RestaurantId) return new TableOrderChange.NotFound("The order to merge into");
        if (TableOrderRules.WhyClosed(into) is { } why) return new TableOrderChange.Closed($"The order to merge into {why}.");

        var lastLine = await orders.LastLineNoAsync(tx, into.Id, ct);
        var at = DatabaseTime.NextChange(tx.Clock.GetUtcNow(), from.UpdatedAt > into.UpdatedAt ? from.UpdatedAt : into.UpdatedAt);
        var intoTable = into.TableId is { } intoTableId ? await tables.FindAsync(intoTableId, ct) : null;
        tx.Publish(new OrderMerged(from.Id, into.Id, from.RestaurantId, into.Rounds, lastLine, Money.Round(from.TotalPrice + into.TotalPrice),
            (into.Covers ?? 0) + (from.Covers ?? 0), into.OrderNumber, into.TableId, intoTable?.Number, by.Role, by.UserId, at));
        await orders.MergeAsync(tx, from, into, into.Rounds, lastLine, request, at, ct);
        await lifecycle.MoveAsync(tx, from, OrderStatus.Cancelled, by, at, ct);
        if (from.TableId is { } table) await LeaveTableAsync(tx, await tables.LockAsync(tx, table), from.Id, by);
        return new TableOrderChange.Changed();
    }

    /// <summary>The bill was paid: the table order is COMPLETED and its table NEEDS_CLEANING. A repeat changes nothing.</summary>
    public async Task CloseOnPaymentAsync(UnitOfWork tx, Guid orderId, DateTimeOffset paidAt, CancellationToken ct)
    {
        var order = await orders.LockAsync(tx, orderId, ct);
        if (order is not { TableId: { } tableId } || OrderStatus.IsFinal(order.Status)) return;
        var billing = new StatusChanger("billing", null);
        await lifecycle.MoveAsync(tx, order, OrderStatus.Completed, billing, paidAt, ct);
        await LeaveTableAsync(tx, await tables.LockAsync(tx, tableId), order.Id, billing);
    }

    /// <summary>The party left the table (paid, moved or merged away): it needs cleaning before the next one.</summary>
    private async Task LeaveTableAsync(UnitOfWork tx, DiningTable? table, Guid orderId, StatusChanger by)
    {
        if (table is null || table.CurrentOrderId != orderId || !TableStatus.CanMove(table.Status, TableStatus.NeedsCleaning)) return;
        await tables.SetStatusAsync(tx, table, TableStatus.NeedsCleaning, by.Role, by.UserId);
    }

    /// <summary>
    /// Locks the order and checks it may change: it exists as a table order, it is open, and this key has not already
    /// done (or been used for another) change of it.
    /// </summary>
    private async Task<(Order? Order, TableOrderChange? Refusal)> LockOpenAsync(UnitOfWork tx, Guid orderId, TableOrderRequest? request, CancellationToken ct)
    {
        if (request is not null && await orders.FindRequestAsync(tx, orderId, request.Key, ct) is { } fingerprint)
            return (null, fingerprint == request.Fingerprint ? new TableOrderChange.AlreadyDone() : new TableOrderChange.KeyReused());
        var order = await orders.LockAsync(tx, orderId, ct);
        if (order is null || !order.IsTableOrder) return (order, new TableOrderChange.NotFound("The table order"));
        if (TableOrderRules.WhyClosed(order) is { } why) return (order, new TableOrderChange.Closed($"The order {why}."));
        return (order, null);
    }
}
