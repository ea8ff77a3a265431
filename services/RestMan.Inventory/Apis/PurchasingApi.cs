using System.Globalization;
using System.Net.Mail;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestMan.Email;
using RestMan.Identity.Ownership;
using RestMan.Inventory.Infrastructure;
using RestMan.Inventory.Model;

namespace RestMan.Inventory.Apis;

/// <summary>
/// Suppliers, and purchase orders drafted from what is below its reorder level, emailed to the supplier, received in
/// part or whole at the back door (stock rises, the item's cost becomes the weighted average).
/// </summary>
public static class PurchasingApi
{
    public static RouteGroupBuilder MapPurchasingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/inventory").AddEndpointFilter<RestaurantsUnavailableFilter>();
        var staff = new[] { Roles.Owner, Roles.KitchenStaff };

        api.MapGet("/suppliers", SuppliersAsync).RequireAuthorization(p => p.RequireRole(staff));
        api.MapPost("/suppliers", AddSupplierAsync).RequireAuthorization(Roles.Owner);
        api.MapGet("/purchase-orders", ListAsync).RequireAuthorization(p => p.RequireRole(staff));
        api.MapPost("/purchase-orders", DraftAsync).RequireAuthorization(Roles.Owner);
        api.MapPost("/purchase-orders/{id:guid}/send", SendAsync).RequireAuthorization(Roles.Owner);
        api.MapPost("/purchase-orders/{id:guid}/receipts", ReceiveAsync).RequireAuthorization(p => p.RequireRole(staff));
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<SupplierResponse>>, ProblemHttpResult>> SuppliersAsync(
        ClaimsPrincipal user, [FromQuery(Name = "restaurant_id")] string? restaurantId, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var (scope, problem) = await services.ListScopeAsync(user, restaurantId, ct);
        if (scope is null) return problem!;
        return TypedResults.Ok<IReadOnlyList<SupplierResponse>>((await services.Purchasing.SuppliersAsync(scope, ct)).Select(SupplierResponse.From).ToList());
    }

    public static async Task<Results<Created<SupplierResponse>, ProblemHttpResult>> AddSupplierAsync(
        SaveSupplierRequest request, ClaimsPrincipal user, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.RequiredId(request.RestaurantId, "restaurant_id", "a restaurant id");
        var name = rules.OptionalText(request.Name, "name", 120);
        if (name is null && !rules.Has("name")) rules.Add("name", "is required.");
        var email = rules.OptionalText(request.Email, "email", 254);
        if (email is not null && !MailAddress.TryCreate(email, out _)) rules.Add("email", "must be an email address.");
        var supplier = new Supplier(Guid.NewGuid(), restaurant ?? Guid.Empty, name ?? "", rules.OptionalText(request.ContactName, "contact_name", 120),
            email, rules.OptionalText(request.Phone, "phone", 40));
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (!await services.Scope.CanSeeAsync(user, supplier.RestaurantId, ct)) return Problems.NotFound("The restaurant");
        await services.Database.InTransactionAsync(tx => services.Purchasing.AddSupplierAsync(tx, supplier, ct), ct);
        return TypedResults.Created($"/inventory/suppliers/{supplier.Id}", SupplierResponse.From(supplier));
    }

    public static async Task<Results<Ok<IReadOnlyList<PurchaseOrderResponse>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, [FromQuery(Name = "restaurant_id")] string? restaurantId, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var (scope, problem) = await services.ListScopeAsync(user, restaurantId, ct);
        if (scope is null) return problem!;
        return TypedResults.Ok<IReadOnlyList<PurchaseOrderResponse>>((await services.Purchasing.ListAsync(scope, null, ct)).Select(PurchaseOrderResponse.From).ToList());
    }

    /// <summary>
    /// Drafts an order to the supplier for each of its items (and those with no supplier) at or below the reorder level:
    /// average daily usage × lead time + reorder level − available. 409 when nothing needs ordering.
    /// </summary>
    public static async Task<Results<Created<PurchaseOrderResponse>, ProblemHttpResult>> DraftAsync(
        DraftPurchaseOrderRequest request, ClaimsPrincipal user, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var supplierId = rules.RequiredId(request.SupplierId, "supplier_id", "a supplier id");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        var supplier = await services.Purchasing.SupplierAsync(supplierId!.Value, ct);
        if (supplier is null || !await services.Scope.CanSeeAsync(user, supplier.RestaurantId, ct)) return Problems.NotFound("The supplier");

        var usage = await services.Stock.AverageDailyUsageAsync([supplier.RestaurantId], services.Clock.GetUtcNow(), ct);
        var lines = (await services.Stock.ListAsync([supplier.RestaurantId], ct))
            .Where(i => (i.SupplierId is null || i.SupplierId == supplier.Id) && StockRules.IsLow(i.Available, i.ReorderLevel))
            .Select(i => (i.Id, Quantity: StockRules.SuggestedQuantity(i.Available, i.ReorderLevel, usage.GetValueOrDefault(i.Id), i.LeadTimeDays), i.UnitCost))
            .Where(l => l.Quantity > 0)
            .ToList();
        var id = await services.Database.InTransactionAsync(tx => services.Purchasing.DraftAsync(tx, supplier, lines, ct), ct);
        if (id is null) return Problems.Conflict("nothing_to_order", "No stock item of this supplier is at or below its reorder level.");
        var order = (await services.Purchasing.ListAsync([supplier.RestaurantId], id, ct)).Single();
        return TypedResults.Created($"/inventory/purchase-orders/{order.Id}", PurchaseOrderResponse.From(order));
    }

    /// <summary>Emails the order to the supplier, then marks it sent; a mail relay that is down leaves it a draft (503).</summary>
    public static async Task<Results<Ok<PurchaseOrderResponse>, ProblemHttpResult>> SendAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        if (await FindAsync(id, user, services, ct) is not { } order) return Problems.NotFound("The purchase order");
        if (order.Status != PurchaseOrderStatus.Draft) return Problems.Conflict("already_sent", $"The purchase order is {order.Status}, not a draft.");
        var supplier = await services.Purchasing.SupplierAsync(order.SupplierId, ct);
        if (supplier?.Email is not { } to) return Problems.Conflict("supplier_without_email", $"{order.SupplierName} has no email address to send the order to.");
        try
        {
            await services.Email.SendAsync(new EmailMessage(to, $"Purchase order {order.Id.ToString()[..8]}", Text(order, supplier)), ct);
        }
        catch (EmailUnavailableException)
        {
            return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "email_unavailable", "The mail relay cannot be reached; the order stays a draft. Try again in a moment.");
        }
        await services.Database.InTransactionAsync(tx => services.Purchasing.MarkSentAsync(tx, id, ct), ct);
        return TypedResults.Ok(PurchaseOrderResponse.From((await FindAsync(id, user, services, ct))!));
    }

    /// <summary>Books a delivery: a line may arrive in parts; more than is still awaited is refused (400 naming the line).</summary>
    public static async Task<Results<Ok<PurchaseOrderResponse>, ProblemHttpResult>> ReceiveAsync(
        Guid id, ReceivePurchaseOrderRequest request, ClaimsPrincipal user, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var arrived = new List<(string Field, Guid Item, decimal Quantity, decimal? UnitCost)>();
        if (request.Lines is not { Count: > 0 }) rules.Add("lines", "must list what arrived.");
        else
        {
            for (var i = 0; i < request.Lines.Count; i++)
            {
                var field = $"lines[{i}]";
                if (request.Lines[i] is not { } line) { rules.Add(field, "must be a received line."); continue; }
                var item = rules.RequiredId(line.StockItemId, field + ".stock_item_id", "a stock item id");
                var quantity = Quantities.Positive(rules, line.Quantity, field + ".quantity");
                var cost = line.UnitCost is null ? (decimal?)null : Quantities.NotNegative(rules, line.UnitCost, field + ".unit_cost", 4);
                if (item is { } itemId && arrived.Any(r => r.Item == itemId)) rules.Add(field + ".stock_item_id", "is listed twice.");
                else if (item is { } known) arrived.Add((field, known, quantity, cost));
            }
        }
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (await FindAsync(id, user, services, ct) is not { } order) return Problems.NotFound("The purchase order");
        if (order.Status is PurchaseOrderStatus.Draft or PurchaseOrderStatus.Received)
            return Problems.Conflict("not_awaited", $"The purchase order is {order.Status}: only a sent order is received.");
        var received = new List<(Guid Item, decimal Quantity, decimal UnitCost)>();
        foreach (var (field, item, quantity, cost) in arrived)
        {
            if (order.Lines.FirstOrDefault(l => l.StockItemId == item) is not { } ordered) rules.Add(field + ".stock_item_id", "is not on this purchase order.");
            else if (quantity > ordered.Quantity - ordered.Received)
                rules.Add(field + ".quantity", $"is more than the {ordered.Quantity - ordered.Received} {ordered.Unit} still awaited.");
            else received.Add((item, quantity, cost ?? ordered.UnitCost));
        }
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        try
        {
            await services.Database.InTransactionAsync(tx => services.Purchasing.ReceiveAsync(tx, order, received, user.UserId(), ct), ct);
        }
        catch (OverReceiptException ex)
        {
            return Problems.Conflict("over_receipt", $"Stock item {ex.ItemId} was already received meanwhile; nothing was booked.");
        }
        return TypedResults.Ok(PurchaseOrderResponse.From((await FindAsync(id, user, services, ct))!));
    }

    private static async Task<PurchaseOrder?> FindAsync(Guid id, ClaimsPrincipal user, InventoryServices services, CancellationToken ct)
    {
        var scope = await services.Scope.VisibleAsync(user, ct);
        return (await services.Purchasing.ListAsync(scope, id, ct)).FirstOrDefault();
    }

    private static string Text(PurchaseOrder order, Supplier supplier)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Dear {supplier.ContactName ?? supplier.Name},");
        text.AppendLine().AppendLine("please deliver:").AppendLine();
        foreach (var line in order.Lines)
            text.AppendLine(CultureInfo.InvariantCulture, $"  {line.Quantity:0.###} {line.Unit}  {line.ItemName}  at {line.UnitCost:0.0000} per {line.Unit}");
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Purchase order {order.Id}. Thank you.");
        return text.ToString();
    }
}
