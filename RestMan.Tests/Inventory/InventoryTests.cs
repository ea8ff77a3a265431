using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Restaurants;
using static RestMan.Tests.Inventory.InventoryFlow;

namespace RestMan.Tests.Inventory;

/// <summary>
/// Issue 29: stock follows the orders through events, a food that cannot be made leaves the menu and ordering,
/// a delivery brings it back, and the ledger balances to the gram however often the events come.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Inventory")]
public sealed class InventoryTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task The_last_portions_of_mozzarella_take_the_pizza_off_the_menu_until_a_delivery_brings_it_back()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        using var anonymous = fixture.CreateGatewayClient();
        var kafka = fixture.App.GetConnectionString("kafka")!;
        var mozzarella = await CreateItemAsync(r, "Mozzarella", "MOZ-1", reorderLevel: 300);
        await CountAsync(r, mozzarella, 1000m);
        await SaveRecipeAsync(r, r.A.Id, (mozzarella, 120m));

        // Eight pizzas at once, by eight customers: 960 g reserved of 1 000 g, 40 g cannot make a ninth.
        var customers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => OrderingFlow.SignInAsync(fixture)));
        var orders = await Task.WhenAll(customers.Select(async c =>
            (await c.PlaceOrderOkAsync(OnePizza(r))).GetProperty("id").GetGuid()));
        var clock = Stopwatch.StartNew();
        await WaitForMenuAsync(anonymous, r, onMenu: false);
        Console.WriteLine($"Margherita left the public menu {clock.ElapsedMilliseconds} ms after the 8th order was placed");

        var item = await ItemAsync(r, mozzarella);
        (item.Money("on_hand"), item.Money("reserved"), item.Money("available")).ShouldBe((1000m, 960m, 40m));
        item.GetProperty("low").GetBoolean().ShouldBeTrue();
        using (var ninth = await r.Customer.PlaceOrderAsync(OnePizza(r)))
            await ninth.ShouldNameFieldAsync("items[0].food_id");
        (await RestaurantsFlow.ReadMenuAsync(anonymous, r.Id)).Menu.FoodNames().ShouldContain(r.B.Name, "a food without a recipe is never held back");

        // A redelivered order.placed reserves nothing more: the inbox and the line's holding both say it was done.
        var placed = await OrderEvents.FindAsync(kafka, "order.placed", orders[0], OrderingFlow.EventDeadline);
        var copy = await OrderEvents.PublishAgainAsync(kafka, placed);
        await OrderEvents.WaitUntilConsumedAsync(kafka, ["inventory"], copy, OrderingFlow.EventDeadline);
        (await ItemAsync(r, mozzarella)).Money("reserved").ShouldBe(960m);

        // A cancelled order gives its 120 g back: the pizza is on the menu again, and sells out again on the next order.
        using (var cancel = await customers[0].Client.CallAsync(HttpMethod.Patch, $"/orders/{orders[0]}/status", new { status = "CANCELLED" }))
            await cancel.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await WaitForMenuAsync(anonymous, r, onMenu: true);
        (await ItemAsync(r, mozzarella)).Money("reserved").ShouldBe(840m);
        var ninthOrder = (await r.Customer.PlaceOrderOkAsync(OnePizza(r))).GetProperty("id").GetGuid();
        await WaitForMenuAsync(anonymous, r, onMenu: false);

        // One served order consumes its reservation: it leaves the shelf and the reservation together.
        foreach (var status in new[] { "ACCEPTED", "IN_PROGRESS", "READY", "COMPLETED" })
            using (var moved = await r.Owner.Client.CallAsync(HttpMethod.Patch, $"/orders/{ninthOrder}/status", new { status }))
                await moved.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await OrderingFlow.EventuallyAsync<bool>(async () => (await ItemAsync(r, mozzarella)).Money("on_hand") == 880m ? true : null,
            OrderingFlow.EventDeadline, "the completed order's mozzarella consumed");
        (await ItemAsync(r, mozzarella)).Money("reserved").ShouldBe(840m);

        // The supplier's delivery, drafted from the reorder level, emailed, received in two parts, brings the pizza back.
        var supplierEmail = AuthFlow.NewEmail();
        using var supplier = await r.Owner.Client.PostAsJsonAsync("/inventory/suppliers", new { restaurant_id = r.Id, name = "Caseificio Rossi", email = supplierEmail });
        await supplier.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var supplierId = (await supplier.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var drafted = await r.Owner.Client.PostAsJsonAsync("/inventory/purchase-orders", new { supplier_id = supplierId });
        await drafted.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var purchase = await drafted.Content.ReadFromJsonAsync<JsonElement>();
        var purchaseId = purchase.GetProperty("id").GetGuid();
        var line = purchase.GetProperty("lines").EnumerateArray().Single();
        // Usage × lead time + reorder level − available: 120 g over 14 days (8.571 g a day) × 2 days + 300 − 40, rounded up.
        line.Money("quantity").ShouldBe(278m);
        using (var sent = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/inventory/purchase-orders/{purchaseId}/send"))
            await sent.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await OrderingFlow.WaitForMailAsync(fixture, supplierEmail, $"Purchase order {purchaseId.ToString()[..8]}")).Text.ShouldContain("Mozzarella");

        using (var tooMuch = await r.Kitchen.Client.CallAsync(HttpMethod.Post, $"/inventory/purchase-orders/{purchaseId}/receipts",
                   new { lines = new[] { new { stock_item_id = mozzarella, quantity = line.Money("quantity") + 1 } } }))
            await tooMuch.ShouldNameFieldAsync("lines[0].quantity");
        using (var part = await r.Kitchen.Client.CallAsync(HttpMethod.Post, $"/inventory/purchase-orders/{purchaseId}/receipts",
                   new { lines = new[] { new { stock_item_id = mozzarella, quantity = 80m } } }))
        {
            await part.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await part.Content.ReadFromJsonAsync<JsonElement>()).Text("status").ShouldBe("PARTIALLY_RECEIVED");
        }
        // 40 + 80 = 120 g available: exactly one portion again.
        await WaitForMenuAsync(anonymous, r, onMenu: true);
        using (var rest = await r.Kitchen.Client.CallAsync(HttpMethod.Post, $"/inventory/purchase-orders/{purchaseId}/receipts",
                   new { lines = new[] { new { stock_item_id = mozzarella, quantity = line.Money("quantity") - 80m } } }))
            (await rest.Content.ReadFromJsonAsync<JsonElement>()).Text("status").ShouldBe("RECEIVED");

        // The ledger balances to the gram: every quantity is the sum of its movements.
        item = await ItemAsync(r, mozzarella);
        var ledger = await r.Owner.Client.GetOkAsync($"/inventory/items/{mozzarella}/movements?page_size=100");
        var moves = ledger.EnumerateArray().ToList();
        moves.Sum(m => m.Money("on_hand_change")).ShouldBe(item.Money("on_hand"));
        moves.Sum(m => m.Money("reserved_change")).ShouldBe(item.Money("reserved"));
        item.Money("on_hand").ShouldBe(880m + line.Money("quantity"));
        moves.Count(m => m.Text("kind") == "reserve").ShouldBe(9, "eight orders and the ninth, each once despite the redelivery");

        // Each change of state was announced once: sold out, back, sold out, back.
        var availability = await TopicReader.ReadAsync(kafka, "inventory.events",
            e => e.EventType == "inventory.food_availability_changed" && e.IsAbout("food_id", r.A.Id), 4, OrderingFlow.EventDeadline, TimeSpan.FromMilliseconds(500));
        availability.Select(e => e.Data.GetProperty("sold_out").GetBoolean()).ShouldBe([true, false, true, false]);
        var low = await TopicReader.ReadAsync(kafka, "inventory.events",
            e => e.EventType == "inventory.low_stock" && e.IsAbout("stock_item_id", mozzarella), 1, OrderingFlow.EventDeadline, TimeSpan.FromMilliseconds(500));
        low.Count.ShouldBe(1, "low once while it stayed low");
    }

    [Fact]
    public async Task Counts_and_adjustments_are_ledger_lines_with_who_and_why_and_bad_input_names_the_field()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var basil = await CreateItemAsync(r, "Basil", "BAS-1", reorderLevel: 0);
        await CountAsync(r, basil, 500m);
        using (var waste = await r.Kitchen.Client.PostAsJsonAsync($"/inventory/items/{basil}/adjustments", new { kind = "waste", quantity = 50m, reason = "wilted" }))
        {
            await waste.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await waste.Content.ReadFromJsonAsync<JsonElement>()).Money("on_hand").ShouldBe(450m);
        }
        var moves = (await r.Owner.Client.GetOkAsync($"/inventory/items/{basil}/movements")).EnumerateArray().ToList();
        var wasted = moves.Single(m => m.Text("kind") == "waste");
        (wasted.Money("on_hand_change"), wasted.Text("reason"), wasted.GetProperty("actor_user_id").GetGuid()).ShouldBe((-50m, "wilted", r.Kitchen.UserId));

        using (var noReason = await r.Kitchen.Client.PostAsJsonAsync($"/inventory/items/{basil}/adjustments", new { kind = "waste", quantity = 5m }))
            await noReason.ShouldNameFieldAsync("reason");
        using (var badKind = await r.Kitchen.Client.PostAsJsonAsync($"/inventory/items/{basil}/adjustments", new { kind = "theft", quantity = 5m, reason = "x" }))
            await badKind.ShouldNameFieldAsync("kind");
        using (var badUnit = await r.Owner.Client.PostAsJsonAsync("/inventory/items", new { restaurant_id = r.Id, name = "Oil", sku = "OIL", unit = "barrel" }))
            await badUnit.ShouldNameFieldAsync("unit");
        using (var sameSku = await r.Owner.Client.PostAsJsonAsync("/inventory/items", new { restaurant_id = r.Id, name = "Basil 2", sku = "BAS-1", unit = "g" }))
            await sameSku.ShouldBeProblemAsync(HttpStatusCode.Conflict, "sku_exists");
        using (var badRecipe = await r.Owner.Client.PutAsJsonAsync($"/inventory/recipes/{r.A.Id}",
                   new { restaurant_id = r.Id, lines = new[] { new { stock_item_id = basil, quantity = -1m } } }))
            await badRecipe.ShouldNameFieldAsync("lines[0].quantity");

        // Another owner's store room does not exist for this one; customers have none.
        using var stranger = await Restaurant.OpenAsync(fixture);
        using (var foreign = await stranger.Owner.Client.GetAsync($"/inventory/items/{basil}/movements"))
            await foreign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var customer = await r.Customer.Client.GetAsync($"/inventory/items?restaurant_id={r.Id}"))
            customer.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Usage report: the waste at its cost.
        var report = await r.Owner.Client.GetOkAsync($"/inventory/reports/usage?restaurant_id={r.Id}");
        report.GetProperty("waste").EnumerateArray().Single().Money("quantity").ShouldBe(50m);
    }

    [Fact]
    public async Task The_owners_food_list_keeps_the_sold_out_and_unavailable_foods_the_public_menu_leaves_out()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        using var anonymous = fixture.CreateGatewayClient();
        var mozzarella = await CreateItemAsync(r, "Mozzarella", "MOZ-1", reorderLevel: 0);
        await CountAsync(r, mozzarella, 100m);
        // 100 g cannot make a 120 g portion: the pizza sells out as soon as its recipe is saved.
        using (var recipe = await r.Owner.Client.PutAsJsonAsync($"/inventory/recipes/{r.A.Id}",
                   new { restaurant_id = r.Id, lines = new[] { new { stock_item_id = mozzarella, quantity = 120m } } }))
            await recipe.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var off = await r.Owner.UpdateFoodAsync(r.Id, r.B.Id, new { is_available = false }))
            await off.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await WaitForMenuAsync(anonymous, r, onMenu: false);
        (await RestaurantsFlow.ReadMenuAsync(anonymous, r.Id)).Menu.FoodNames().ShouldBeEmpty();

        var path = $"/restaurants/{r.Id}/foods";
        var foods = (await r.Owner.Client.GetOkAsync(path)).EnumerateArray().ToList();
        foods.Select(f => (f.GetProperty("id").GetGuid(), f.Text("name"), f.GetProperty("is_available").GetBoolean(), f.GetProperty("sold_out").GetBoolean()))
            .ShouldBe([(r.A.Id, "Margherita", true, true), (r.B.Id, "Tiramisu", false, false)]);
        foods[0].Money("price").ShouldBe(12.50m);

        // Owners only: the customer and the kitchen are refused, another owner may see the restaurant but not its list.
        using (var customer = await r.Customer.Client.GetAsync(path))
            await customer.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using (var kitchen = await r.Kitchen.Client.GetAsync(path))
            await kitchen.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using var other = await RestaurantsFlow.SignInOwnerAsync(fixture);
        using (var foreign = await other.Client.GetAsync(path))
            await foreign.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        // Closed, the restaurant is its owner's alone: to another owner it does not exist.
        using (var closed = await r.Owner.Client.PutAsJsonAsync($"/restaurants/{r.Id}", new { is_active = false }))
            await closed.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var hidden = await other.Client.GetAsync(path))
            await hidden.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await r.Owner.Client.GetOkAsync(path)).GetArrayLength().ShouldBe(2);
    }

    private static object OnePizza(Restaurant r) => new
    {
        restaurant_id = r.Id,
        order_type = "takeaway",
        items = new object[] { new { food_id = r.A.Id, quantity = 1 } },
    };

    private static Task WaitForMenuAsync(HttpClient anonymous, Restaurant r, bool onMenu) =>
        OrderingFlow.EventuallyAsync<bool>(async () =>
            (await RestaurantsFlow.ReadMenuAsync(anonymous, r.Id)).Menu.FoodNames().Contains(r.A.Name) == onMenu ? true : null,
            OrderingFlow.EventDeadline, onMenu ? "the Margherita back on the public menu" : "the Margherita off the public menu");
}
