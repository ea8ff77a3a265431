using System.Net.Http.Headers;
using System.Text.Json;

namespace RestMan.Web.Gateway;

/// <summary>
/// The RestMan API through the gateway, as the signed-in user: the bearer token comes from the session cookie on the
/// server and never reaches the browser. Every failure becomes an <see cref="ApiError"/>, never an exception on a page.
/// </summary>
public sealed class RestManApi(HttpClient http, SignedInUser user, BrowserAddress browser, ILogger<RestManApi> logger)
{
    private static readonly JsonSerializerOptions JsonOptions = Json.Options;

    // Auth and the dev mailbox.
    public Task<ApiResult<JsonElement>> RequestCodeAsync(string email, string role, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Post, "/auth/request-otp", new { email, role }, anonymous: true, ct: ct);

    public Task<ApiResult<LoginResponse>> VerifyCodeAsync(string email, string code, CancellationToken ct = default) =>
        SendAsync<LoginResponse>(HttpMethod.Post, "/auth/verify-otp", new { email, code }, anonymous: true, ct: ct);

    public Task<ApiResult<JsonElement>> MeAsync(string token, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Get, "/auth/me", token: token, ct: ct);

    public Task<ApiResult<JsonElement>> LogoutAsync(string token, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Post, "/auth/logout", token: token, ct: ct);

    public Task<ApiResult<List<MailboxMessage>>> MailboxAsync(string email, CancellationToken ct = default) =>
        SendAsync<List<MailboxMessage>>(HttpMethod.Get, $"/dev/mailbox?email={Uri.EscapeDataString(email)}", anonymous: true, ct: ct);

    // Restaurants and menus.
    public Task<ApiResult<List<Restaurant>>> RestaurantsAsync(bool mine = false, CancellationToken ct = default) =>
        SendAsync<List<Restaurant>>(HttpMethod.Get, mine ? "/restaurants?mine=true&limit=100" : "/restaurants?limit=100", ct: ct);

    public Task<ApiResult<Restaurant>> CreateRestaurantAsync(string name, string? address, string? phone, CancellationToken ct = default) =>
        SendAsync<Restaurant>(HttpMethod.Post, "/restaurants", new { name, address = Blank(address), phone = Blank(phone) }, ct: ct);

    public Task<ApiResult<Menu>> MenuAsync(Guid restaurantId, CancellationToken ct = default) =>
        SendAsync<Menu>(HttpMethod.Get, $"/restaurants/{restaurantId}/menu", ct: ct);

    public Task<ApiResult<Category>> CreateCategoryAsync(Guid restaurantId, string name, string? description, CancellationToken ct = default) =>
        SendAsync<Category>(HttpMethod.Post, $"/restaurants/{restaurantId}/categories", new { name, description = Blank(description) }, ct: ct);

    public Task<ApiResult<Category>> RenameCategoryAsync(Guid restaurantId, Guid categoryId, string name, CancellationToken ct = default) =>
        SendAsync<Category>(HttpMethod.Put, $"/restaurants/{restaurantId}/categories/{categoryId}", new { name }, ct: ct);

    public Task<ApiResult<JsonElement>> DeleteCategoryAsync(Guid restaurantId, Guid categoryId, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"/restaurants/{restaurantId}/categories/{categoryId}", ct: ct);

    /// <summary>Every food of the restaurant, unavailable and sold-out ones included (the owner's editors; the public menu leaves those out).</summary>
    public Task<ApiResult<List<Food>>> FoodsAsync(Guid restaurantId, CancellationToken ct = default) =>
        SendAsync<List<Food>>(HttpMethod.Get, $"/restaurants/{restaurantId}/foods", ct: ct);

    public Task<ApiResult<Food>> CreateFoodAsync(Guid restaurantId, string name, string? description, decimal? price, Guid? categoryId, CancellationToken ct = default) =>
        SendAsync<Food>(HttpMethod.Post, $"/restaurants/{restaurantId}/foods",
            new { name, description = Blank(description), price, category_id = categoryId, is_available = true }, ct: ct);

    public Task<ApiResult<Food>> UpdateFoodAsync(Guid restaurantId, Guid foodId, object changes, CancellationToken ct = default) =>
        SendAsync<Food>(HttpMethod.Put, $"/restaurants/{restaurantId}/foods/{foodId}", changes, ct: ct);

    public Task<ApiResult<JsonElement>> DeleteFoodAsync(Guid restaurantId, Guid foodId, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"/restaurants/{restaurantId}/foods/{foodId}", ct: ct);

    public Task<ApiResult<List<StaffMember>>> StaffAsync(Guid restaurantId, CancellationToken ct = default) =>
        SendAsync<List<StaffMember>>(HttpMethod.Get, $"/restaurants/{restaurantId}/staff", ct: ct);

    public Task<ApiResult<StaffMember>> AddStaffAsync(Guid restaurantId, string email, CancellationToken ct = default) =>
        SendAsync<StaffMember>(HttpMethod.Post, $"/restaurants/{restaurantId}/staff", new { email }, ct: ct);

    public Task<ApiResult<JsonElement>> RemoveStaffAsync(Guid restaurantId, Guid userId, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"/restaurants/{restaurantId}/staff/{userId}", ct: ct);

    // The store room (Inventory).
    public Task<ApiResult<List<StockItem>>> StockAsync(Guid restaurantId, CancellationToken ct = default) =>
        SendAsync<List<StockItem>>(HttpMethod.Get, $"/inventory/items?restaurant_id={restaurantId}", ct: ct);

    public Task<ApiResult<StockItem>> AddStockItemAsync(Guid restaurantId, string name, string sku, string unit, decimal? reorderLevel, decimal? unitCost, CancellationToken ct = default) =>
        SendAsync<StockItem>(HttpMethod.Post, "/inventory/items", new { restaurant_id = restaurantId, name, sku, unit, reorder_level = reorderLevel, unit_cost = unitCost }, ct: ct);

    public Task<ApiResult<StockItem>> CountStockAsync(Guid itemId, decimal? counted, CancellationToken ct = default) =>
        SendAsync<StockItem>(HttpMethod.Post, $"/inventory/items/{itemId}/counts", new { counted, reason = "count" }, ct: ct);

    public Task<ApiResult<StockItem>> AdjustStockAsync(Guid itemId, string kind, decimal? quantity, string? reason, CancellationToken ct = default) =>
        SendAsync<StockItem>(HttpMethod.Post, $"/inventory/items/{itemId}/adjustments", new { kind, quantity, reason }, ct: ct);

    public Task<ApiResult<Recipe>> RecipeAsync(Guid foodId, CancellationToken ct = default) =>
        SendAsync<Recipe>(HttpMethod.Get, $"/inventory/recipes/{foodId}", ct: ct);

    public Task<ApiResult<JsonElement>> SaveRecipeAsync(Guid restaurantId, Guid foodId, IEnumerable<(Guid Item, decimal Quantity)> lines, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Put, $"/inventory/recipes/{foodId}",
            new { restaurant_id = restaurantId, lines = lines.Select(l => new { stock_item_id = l.Item, quantity = l.Quantity }) }, ct: ct);

    public Task<ApiResult<List<Supplier>>> SuppliersAsync(Guid restaurantId, CancellationToken ct = default) =>
        SendAsync<List<Supplier>>(HttpMethod.Get, $"/inventory/suppliers?restaurant_id={restaurantId}", ct: ct);

    public Task<ApiResult<Supplier>> AddSupplierAsync(Guid restaurantId, string name, string? email, CancellationToken ct = default) =>
        SendAsync<Supplier>(HttpMethod.Post, "/inventory/suppliers", new { restaurant_id = restaurantId, name, email }, ct: ct);

    public Task<ApiResult<List<PurchaseOrder>>> PurchaseOrdersAsync(Guid restaurantId, CancellationToken ct = default) =>
        SendAsync<List<PurchaseOrder>>(HttpMethod.Get, $"/inventory/purchase-orders?restaurant_id={restaurantId}", ct: ct);

    public Task<ApiResult<PurchaseOrder>> DraftPurchaseOrderAsync(Guid supplierId, CancellationToken ct = default) =>
        SendAsync<PurchaseOrder>(HttpMethod.Post, "/inventory/purchase-orders", new { supplier_id = supplierId }, ct: ct);

    public Task<ApiResult<PurchaseOrder>> SendPurchaseOrderAsync(Guid orderId, CancellationToken ct = default) =>
        SendAsync<PurchaseOrder>(HttpMethod.Post, $"/inventory/purchase-orders/{orderId}/send", ct: ct);

    /// <summary>Books what is still awaited on every line: the whole delivery.</summary>
    public Task<ApiResult<PurchaseOrder>> ReceivePurchaseOrderAsync(PurchaseOrder order, CancellationToken ct = default) =>
        SendAsync<PurchaseOrder>(HttpMethod.Post, $"/inventory/purchase-orders/{order.Id}/receipts",
            new { lines = order.Lines.Where(l => l.Quantity > l.Received).Select(l => new { stock_item_id = l.StockItemId, quantity = l.Quantity - l.Received }) }, ct: ct);

    // Orders.
    public Task<ApiResult<Order>> PlaceOrderAsync(NewOrder order, string idempotencyKey, CancellationToken ct = default) =>
        SendAsync<Order>(HttpMethod.Post, "/orders", new
        {
            restaurant_id = order.RestaurantId,
            order_type = order.OrderType,
            items = order.Items.Select(i => new { food_id = i.FoodId, quantity = i.Quantity, options = i.Options, note = Blank(i.Note) }),
            notes = Blank(order.Notes),
            delivery_address = Blank(order.DeliveryAddress),
        }, idempotencyKey: idempotencyKey, ct: ct);

    public Task<ApiResult<PageOf<Order>>> OrdersAsync(Guid? restaurantId = null, int pageSize = 100, CancellationToken ct = default) =>
        SendAsync<PageOf<Order>>(HttpMethod.Get, restaurantId is null ? $"/orders?page_size={pageSize}" : $"/orders?restaurant_id={restaurantId}&page_size={pageSize}", ct: ct);

    public Task<ApiResult<Order>> OrderAsync(Guid orderId, CancellationToken ct = default) =>
        SendAsync<Order>(HttpMethod.Get, $"/orders/{orderId}", ct: ct);

    public Task<ApiResult<Timeline>> TimelineAsync(Guid orderId, CancellationToken ct = default) =>
        SendAsync<Timeline>(HttpMethod.Get, $"/orders/{orderId}/timeline", ct: ct);

    public Task<ApiResult<Order>> ChangeOrderStatusAsync(Guid orderId, string status, CancellationToken ct = default) =>
        SendAsync<Order>(HttpMethod.Patch, $"/orders/{orderId}/status", new { status }, ct: ct);

    // The floor: tables and table orders.
    public Task<ApiResult<List<DiningTable>>> TablesAsync(Guid restaurantId, CancellationToken ct = default) =>
        SendAsync<List<DiningTable>>(HttpMethod.Get, $"/tables?restaurant_id={restaurantId}", ct: ct);

    public Task<ApiResult<DiningTable>> SetTableStatusAsync(Guid tableId, string status, CancellationToken ct = default) =>
        SendAsync<DiningTable>(HttpMethod.Patch, $"/tables/{tableId}/status", new { status }, ct: ct);

    public Task<ApiResult<Order>> OpenTableAsync(Guid tableId, int covers, string idempotencyKey, CancellationToken ct = default) =>
        SendAsync<Order>(HttpMethod.Post, "/orders/dine-in", new { table_id = tableId, covers }, idempotencyKey: idempotencyKey, ct: ct);

    public Task<ApiResult<Order>> AddRoundAsync(Guid orderId, IEnumerable<CartLine> items, string idempotencyKey, CancellationToken ct = default) =>
        SendAsync<Order>(HttpMethod.Post, $"/orders/{orderId}/rounds", new { items }, idempotencyKey: idempotencyKey, ct: ct);

    public Task<ApiResult<Order>> RemoveLineAsync(Guid orderId, int lineNo, CancellationToken ct = default) =>
        SendAsync<Order>(HttpMethod.Delete, $"/orders/{orderId}/items/{lineNo}", ct: ct);

    // Reservations.
    public Task<ApiResult<Availability>> AvailabilityAsync(Guid restaurantId, DateOnly date, int partySize, CancellationToken ct = default) =>
        SendAsync<Availability>(HttpMethod.Get,
            $"/reservations/availability?restaurant_id={restaurantId}&date={date:yyyy-MM-dd}&party_size={partySize}", anonymous: true, ct: ct);

    public Task<ApiResult<Reservation>> BookAsync(Guid restaurantId, int partySize, DateTimeOffset time, string? guestName, string idempotencyKey,
        CancellationToken ct = default) =>
        SendAsync<Reservation>(HttpMethod.Post, "/reservations",
            new { restaurant_id = restaurantId, party_size = partySize, time, guest_name = Blank(guestName) }, idempotencyKey: idempotencyKey, ct: ct);

    public Task<ApiResult<PageOf<Reservation>>> MyReservationsAsync(CancellationToken ct = default) =>
        SendAsync<PageOf<Reservation>>(HttpMethod.Get, "/reservations/mine?page_size=100", ct: ct);

    public Task<ApiResult<PageOf<Reservation>>> ReservationBookAsync(Guid? restaurantId, DateOnly date, CancellationToken ct = default) =>
        SendAsync<PageOf<Reservation>>(HttpMethod.Get,
            $"/reservations?date={date:yyyy-MM-dd}&page_size=100{(restaurantId is null ? "" : $"&restaurant_id={restaurantId}")}", ct: ct);

    /// <summary><paramref name="step"/> is <c>seat</c>, <c>cancel</c> or <c>no-show</c>.</summary>
    public Task<ApiResult<Reservation>> MoveReservationAsync(Guid reservationId, string step, CancellationToken ct = default) =>
        SendAsync<Reservation>(HttpMethod.Post, $"/reservations/{reservationId}/{step}", ct: ct);

    // Kitchen.
    public Task<ApiResult<PageOf<Ticket>>> TicketsAsync(CancellationToken ct = default) =>
        SendAsync<PageOf<Ticket>>(HttpMethod.Get, "/kitchen/tickets?status=NEW,ACCEPTED,IN_PROGRESS,READY&page_size=100", ct: ct);

    public Task<ApiResult<Ticket>> MoveTicketAsync(Guid ticketId, string status, int? estimatedMinutes = null, CancellationToken ct = default) =>
        SendAsync<Ticket>(HttpMethod.Patch, $"/kitchen/tickets/{ticketId}/status",
            estimatedMinutes is { } minutes ? new { status, estimated_minutes = minutes } : (object)new { status }, ct: ct);

    /// <summary>normal, high or urgent.</summary>
    public Task<ApiResult<Ticket>> PrioritizeTicketAsync(Guid ticketId, string priority, CancellationToken ct = default) =>
        SendAsync<Ticket>(HttpMethod.Patch, $"/kitchen/tickets/{ticketId}/priority", new { priority }, ct: ct);

    public Task<ApiResult<List<PrepTime>>> PrepTimesAsync(CancellationToken ct = default) =>
        SendAsync<List<PrepTime>>(HttpMethod.Get, "/kitchen/prep-times", ct: ct);

    public Task<ApiResult<List<KitchenSettings>>> KitchenSettingsAsync(Guid restaurantId, CancellationToken ct = default) =>
        SendAsync<List<KitchenSettings>>(HttpMethod.Get, $"/kitchen/settings?restaurant_id={restaurantId}", ct: ct);

    public Task<ApiResult<KitchenSettings>> SetDelayThresholdAsync(Guid restaurantId, int seconds, CancellationToken ct = default) =>
        SendAsync<KitchenSettings>(HttpMethod.Put, "/kitchen/settings", new { restaurant_id = restaurantId, delay_threshold_seconds = seconds }, ct: ct);

    /// <summary>The restaurant's open tickets (all stations), for the owner's views.</summary>
    public Task<ApiResult<PageOf<Ticket>>> TicketsOfAsync(Guid restaurantId, CancellationToken ct = default) =>
        SendAsync<PageOf<Ticket>>(HttpMethod.Get, $"/kitchen/tickets?status=NEW,ACCEPTED,IN_PROGRESS,READY&page_size=100&restaurant_id={restaurantId}", ct: ct);

    public Task<ApiResult<List<Station>>> StationsAsync(CancellationToken ct = default) =>
        SendAsync<List<Station>>(HttpMethod.Get, "/kitchen/stations", ct: ct);

    /// <summary>Starts (IN_PROGRESS) or bumps (READY) one line of a ticket.</summary>
    public Task<ApiResult<Ticket>> WorkTicketItemAsync(Guid ticketId, int lineNo, string status, CancellationToken ct = default) =>
        SendAsync<Ticket>(HttpMethod.Patch, $"/kitchen/tickets/{ticketId}/items/{lineNo}/status", new { status }, ct: ct);

    // Billing.
    public Task<ApiResult<Bill>> BillAsync(Guid orderId, CancellationToken ct = default) =>
        SendAsync<Bill>(HttpMethod.Get, $"/billing/orders/{orderId}", ct: ct);

    public Task<ApiResult<Bill>> FinalizeBillAsync(Guid orderId, string paymentMethod, CancellationToken ct = default) =>
        SendAsync<Bill>(HttpMethod.Post, $"/billing/orders/{orderId}/finalize", new { payment_method = paymentMethod }, ct: ct);

    public Task<ApiResult<List<BillPayment>>> PaymentsAsync(Guid billId, CancellationToken ct = default) =>
        SendAsync<List<BillPayment>>(HttpMethod.Get, $"/billing/bills/{billId}/payments", ct: ct);

    /// <summary>A payment towards the bill or one of its parts; <paramref name="amount"/> null pays what is still owed there.</summary>
    public Task<ApiResult<BillPayment>> PayAsync(
        Guid billId, int? part, string method, decimal? amount, decimal tip, string? cardToken, string idempotencyKey, CancellationToken ct = default) =>
        SendAsync<BillPayment>(HttpMethod.Post, $"/billing/bills/{billId}/payments",
            new { part, method, amount, tip, card_token = Blank(cardToken) }, idempotencyKey: idempotencyKey, ct: ct);

    public Task<ApiResult<BillSplit>> SplitOfAsync(Guid billId, CancellationToken ct = default) =>
        SendAsync<BillSplit>(HttpMethod.Get, $"/billing/bills/{billId}/split", ct: ct);

    /// <summary>Evenly among <paramref name="guests"/>, or by items: each part's line numbers.</summary>
    public Task<ApiResult<BillSplit>> SplitAsync(Guid billId, int? guests, IEnumerable<IEnumerable<int>>? parts, CancellationToken ct = default) =>
        SendAsync<BillSplit>(HttpMethod.Post, $"/billing/bills/{billId}/split",
            guests is not null ? (object)new { guests } : new { parts = parts!.Select(p => new { line_nos = p.ToArray() }).ToArray() }, ct: ct);

    /// <summary>A code, or the staff's percentage off with a reason.</summary>
    public Task<ApiResult<Bill>> ApplyDiscountAsync(Guid billId, string? code, decimal? percent, string? reason, CancellationToken ct = default) =>
        SendAsync<Bill>(HttpMethod.Post, $"/billing/bills/{billId}/discount",
            Blank(code) is { } c ? (object)new { code = c } : new { percent, reason = Blank(reason) }, ct: ct);

    /// <summary>Emails the bill's receipt (HTML, PDF attached); one email per <paramref name="idempotencyKey"/>.</summary>
    public Task<ApiResult<ReceiptEmail>> EmailReceiptAsync(Guid billId, string email, string idempotencyKey, CancellationToken ct = default) =>
        SendAsync<ReceiptEmail>(HttpMethod.Post, $"/billing/bills/{billId}/receipt/email", new { email }, idempotencyKey: idempotencyKey, ct: ct);

    public Task<ApiResult<List<BillRefund>>> RefundsAsync(Guid billId, CancellationToken ct = default) =>
        SendAsync<List<BillRefund>>(HttpMethod.Get, $"/billing/bills/{billId}/refunds", ct: ct);

    /// <summary>A refund to the original payments: <paramref name="amount"/> null gives back all that is left.</summary>
    public Task<ApiResult<BillRefund>> RefundAsync(Guid billId, decimal? amount, string? reason, string idempotencyKey, CancellationToken ct = default) =>
        SendAsync<BillRefund>(HttpMethod.Post, $"/billing/bills/{billId}/refunds", new { amount, reason = Blank(reason) }, idempotencyKey: idempotencyKey, ct: ct);

    // Analytics (shapes differ per report: read as JSON).
    public Task<ApiResult<JsonElement>> AnalyticsAsync(string pathAndQuery, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Get, pathAndQuery, ct: ct);

    private async Task<ApiResult<T>> SendAsync<T>(
        HttpMethod method, string path, object? body = null, bool anonymous = false, string? token = null, string? idempotencyKey = null,
        CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, options: JsonOptions);
        token ??= anonymous ? null : await user.TokenAsync();
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        OnBehalfOfBrowser(request);
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) return ApiResult<T>.Failure(await ApiError.FromResponseAsync(response, ct));
            if (response.Content.Headers.ContentLength == 0 || response.StatusCode == System.Net.HttpStatusCode.NoContent)
                return ApiResult<T>.Success(default!);
            var value = await response.Content.ReadFromJsonAsync<T>(JsonOptions, ct);
            return ApiResult<T>.Success(value!);
        }
        catch (Exception ex) when (Outages.IsUnanswered(ex, ct) && !ct.IsCancellationRequested)
        {
            // The gateway or a service is away: say so on the page, the screen keeps working.
            logger.LogWarning("{Method} {Path} failed: {Error}", method, path, ex.Message);
            return ApiResult<T>.Failure(ApiError.Unreachable);
        }
    }

    /// <summary>The bill's receipt as the gateway renders it (HTML or PDF), for the browser to open; null when it could not be had.</summary>
    public async Task<(byte[] Body, string ContentType)?> ReceiptAsync(Guid billId, bool pdf, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/billing/bills/{billId}/receipt{(pdf ? "?format=pdf" : "")}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        OnBehalfOfBrowser(request);
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) return null;
            return (await response.Content.ReadAsByteArrayAsync(ct), response.Content.Headers.ContentType?.ToString() ?? "text/html");
        }
        catch (Exception ex) when (Outages.IsUnanswered(ex, ct) && !ct.IsCancellationRequested)
        {
            logger.LogWarning("GET receipt of bill {BillId} failed: {Error}", billId, ex.Message);
            return null;
        }
    }

    // The gateway (which trusts this app as a proxy) counts the call against the browser's budget, not the web app's.
    private void OnBehalfOfBrowser(HttpRequestMessage request)
    {
        if (browser.Value is { } address) request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
