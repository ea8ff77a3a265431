using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Ordering;

/// <summary>
/// Issue 26, points 1 and 2: a food's modifier groups and allergens, chosen and priced by the server on an order line,
/// and seen by the cook on the ticket and by the guest on the bill.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Ordering")]
public sealed class ModifiersTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task Two_pizzas_with_options_and_a_drink_reach_the_ticket_and_the_bill_with_their_options_and_prices()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var pizza = await CreatePizzaAsync(r);
        var lemonade = await CreateFoodAsync(r, new { name = "Lemonade", price = 3.00m, diets = new[] { "vegan", "Gluten-Free" } });
        lemonade.GetProperty("diets").EnumerateArray().Select(d => d.GetString()).ShouldBe(["vegan", "gluten_free"]);

        using var anonymous = fixture.CreateGatewayClient();
        var (menu, _) = await RestaurantsFlow.ReadMenuAsync(anonymous, r.Id);
        var shown = MenuFoods(menu).Single(f => f.Text("name") == "Pizza");
        shown.GetProperty("modifier_groups").EnumerateArray().Select(g => g.Text("name")).ShouldBe(["Size", "Extras"]);
        shown.GetProperty("allergens").EnumerateArray().Select(a => a.GetString()).ShouldBe(["gluten", "milk"]);

        var placed = await r.Customer.PlaceOrderOkAsync(new
        {
            restaurant_id = r.Id,
            order_type = "dine_in",
            items = new object[]
            {
                new { food_id = pizza.Id, quantity = 1, options = new[] { pizza.Option("Large"), pizza.Option("Cheese"), pizza.Option("Olives") }, note = "well done", unit_price = 0.01m },
                new { food_id = pizza.Id, quantity = 2, options = new[] { pizza.Option("Small") } },
                new { food_id = lemonade.GetProperty("id").GetGuid(), quantity = 2 },
            },
        });
        var orderId = placed.GetProperty("id").GetGuid();
        var lines = placed.GetProperty("items").EnumerateArray().ToList();
        lines.Select(l => l.Money("unit_price")).ShouldBe([15.50m, 10.00m, 3.00m]);
        placed.Money("total_price").ShouldBe(15.50m + 20.00m + 6.00m);
        lines[0].GetProperty("options").EnumerateArray().Select(o => $"{o.Text("group")}: {o.Text("name")} +{o.Money("price_delta")}")
            .ShouldBe(["Size: Large +3.00", "Extras: Cheese +1.50", "Extras: Olives +1.00"]);
        lines[0].Text("note").ShouldBe("well done");

        var ticket = await r.Kitchen.WaitForTicketAsync(orderId);
        var ticketLines = ticket.GetProperty("items").EnumerateArray().ToList();
        ticketLines.Select(l => string.Join(", ", l.GetProperty("options").EnumerateArray().Select(o => o.Text("name"))))
            .ShouldBe(["Large, Cheese, Olives", "Small", ""]);
        ticketLines[0].Text("note").ShouldBe("well done");
        ticketLines[1].GetProperty("note").ValueKind.ShouldBe(JsonValueKind.Null);
        ticketLines[0].GetProperty("allergens").EnumerateArray().Select(a => a.GetString()).ShouldBe(["gluten", "milk"]);
        ticketLines[2].GetProperty("allergens").GetArrayLength().ShouldBe(0);

        var bill = await r.Owner.Client.WaitForBillAsync(orderId);
        bill.Money("subtotal").ShouldBe(41.50m);
        var billLines = (await r.Owner.Client.GetOkAsync($"/billing/bills/{bill.GetProperty("id").GetGuid()}/split"))
            .GetProperty("lines").EnumerateArray().ToList();
        billLines.Select(l => (l.Money("unit_price"), l.Money("line_total"))).ShouldBe([(15.50m, 15.50m), (10.00m, 20.00m), (3.00m, 6.00m)]);
        billLines[0].GetProperty("options").EnumerateArray().Select(o => (o.Text("name"), o.Money("price_delta")))
            .ShouldBe([("Large", 3.00m), ("Cheese", 1.50m), ("Olives", 1.00m)]);
        billLines[0].Text("note").ShouldBe("well done");

        // The printed receipt lists each line's options with what they added, and the note.
        var receipt = await r.Owner.Client.GetStringAsync($"/billing/bills/{bill.GetProperty("id").GetGuid()}/receipt");
        receipt.ShouldContain("Large (+3.00)");
        receipt.ShouldContain("Olives (+1.00)");
        receipt.ShouldContain("“well done”");
    }

    [Fact]
    public async Task Options_the_menu_does_not_allow_are_400s_naming_the_line_and_option()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var pizza = await CreatePizzaAsync(r);

        async Task ShouldRefuseAsync(object line, string field, object? second = null)
        {
            using var response = await r.Customer.PlaceOrderAsync(new
            {
                restaurant_id = r.Id,
                order_type = "takeaway",
                items = second is null ? new[] { line } : new[] { line, second },
            });
            await response.ShouldNameFieldAsync(field);
        }

        // No size chosen, two sizes, three extras of at most two, an option of another food, an unknown one, one twice.
        await ShouldRefuseAsync(new { food_id = pizza.Id, quantity = 1 }, "items[0].options");
        await ShouldRefuseAsync(new { food_id = pizza.Id, quantity = 1, options = new[] { pizza.Option("Small"), pizza.Option("Large") } }, "items[0].options");
        await ShouldRefuseAsync(new
        {
            food_id = pizza.Id, quantity = 1,
            options = new[] { pizza.Option("Small"), pizza.Option("Cheese"), pizza.Option("Olives"), pizza.Option("Basil") },
        }, "items[0].options");
        await ShouldRefuseAsync(new { food_id = r.A.Id, quantity = 1, options = new[] { pizza.Option("Cheese") } }, "items[0].options[0]");
        await ShouldRefuseAsync(new { food_id = pizza.Id, quantity = 1, options = new[] { pizza.Option("Small"), Guid.NewGuid() } }, "items[0].options[1]");
        await ShouldRefuseAsync(new { food_id = pizza.Id, quantity = 1, options = new[] { pizza.Option("Small"), pizza.Option("Small") } }, "items[0].options[1]");
        await ShouldRefuseAsync(new { food_id = pizza.Id, quantity = 1, options = new[] { pizza.Option("Small") }, note = new string('x', 201) }, "items[0].note");
        // The same pizza the same way twice is one line; another way is another line.
        await ShouldRefuseAsync(new { food_id = pizza.Id, quantity = 1, options = new[] { pizza.Option("Small") } }, "items[1].food_id",
            second: new { food_id = pizza.Id, quantity = 2, options = new[] { pizza.Option("Small") } });

        // The owner's side: a group asking for more than it offers, an allergen outside the EU list, an unknown diet.
        using (var response = await r.Owner.UpdateFoodAsync(r.Id, pizza.Id, new
        {
            modifier_groups = new[] { new { name = "Size", min_choices = 2, max_choices = 1, options = new[] { new { name = "S", price_delta = 0m } } } },
        }))
            await response.ShouldNameFieldAsync("modifier_groups[0].max_choices");
        using (var response = await r.Owner.UpdateFoodAsync(r.Id, pizza.Id, new { allergens = new[] { "milk", "cocoa" } }))
            await response.ShouldNameFieldAsync("allergens[1]");
        using (var response = await r.Owner.UpdateFoodAsync(r.Id, pizza.Id, new { diets = new[] { "keto" } }))
            await response.ShouldNameFieldAsync("diets[0]");
    }

    [Fact]
    public async Task The_public_menu_filters_by_allergen_and_diet()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        await CreateFoodAsync(r, new { name = "Pesto pasta", price = 11.00m, allergens = new[] { "nuts", "gluten", "milk" }, diets = new[] { "vegetarian" } });
        await CreateFoodAsync(r, new { name = "Green salad", price = 8.00m, diets = new[] { "vegetarian", "vegan", "gluten_free" } });
        await CreateFoodAsync(r, new { name = "Bread", price = 2.00m, allergens = new[] { "gluten" }, diets = new[] { "vegan" } });
        using var anonymous = fixture.CreateGatewayClient();

        async Task<IEnumerable<string>> NamesAsync(string query) =>
            MenuFoods(await anonymous.GetOkAsync($"/restaurants/{r.Id}/menu{query}")).Select(f => f.Text("name")).Order();

        (await NamesAsync("")).ShouldBe(["Bread", "Green salad", "Margherita", "Pesto pasta", "Tiramisu"]);
        (await NamesAsync("?without=nuts")).ShouldBe(["Bread", "Green salad", "Margherita", "Tiramisu"]);
        (await NamesAsync("?without=nuts,gluten")).ShouldBe(["Green salad", "Margherita", "Tiramisu"]);
        (await NamesAsync("?diet=vegan")).ShouldBe(["Bread", "Green salad"]);
        (await NamesAsync("?without=gluten&diet=vegan")).ShouldBe(["Green salad"]);
        using (var response = await anonymous.GetAsync($"/restaurants/{r.Id}/menu?without=nuts,cocoa"))
            await response.ShouldNameFieldAsync("without[1]");
        using (var response = await anonymous.GetAsync($"/restaurants/{r.Id}/menu?diet=paleo"))
            await response.ShouldNameFieldAsync("diet[0]");
    }

    /// <summary>A pizza at 10.00: Size (exactly one of Small, Large +3.00) and Extras (up to 2 of Cheese +1.50, Olives +1.00, Basil).</summary>
    private static async Task<Modifiable> CreatePizzaAsync(Restaurant r)
    {
        var food = await CreateFoodAsync(r, new
        {
            name = "Pizza",
            price = 10.00m,
            allergens = new[] { "milk", "gluten" },
            diets = new[] { "vegetarian" },
            modifier_groups = new object[]
            {
                new { name = "Size", min_choices = 1, max_choices = 1, options = new[] { new { name = "Small", price_delta = 0m }, new { name = "Large", price_delta = 3.00m } } },
                new
                {
                    name = "Extras", min_choices = 0, max_choices = 2,
                    options = new[] { new { name = "Cheese", price_delta = 1.50m }, new { name = "Olives", price_delta = 1.00m }, new { name = "Basil", price_delta = 0m } },
                },
            },
        });
        food.GetProperty("allergens").EnumerateArray().Select(a => a.GetString()).ShouldBe(["gluten", "milk"], "kept in the EU list's order");
        var options = food.GetProperty("modifier_groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("options").EnumerateArray())
            .ToDictionary(o => o.Text("name"), o => o.GetProperty("id").GetGuid());
        return new Modifiable(food.GetProperty("id").GetGuid(), options);
    }

    private static async Task<JsonElement> CreateFoodAsync(Restaurant r, object food)
    {
        using var response = await r.Owner.Client.PostAsJsonAsync($"/restaurants/{r.Id}/foods", food);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static IEnumerable<JsonElement> MenuFoods(JsonElement menu) =>
        menu.GetProperty("categories").EnumerateArray().SelectMany(c => c.GetProperty("foods").EnumerateArray())
            .Concat(menu.GetProperty("uncategorized").EnumerateArray());

    private sealed record Modifiable(Guid Id, IReadOnlyDictionary<string, Guid> Options)
    {
        public Guid Option(string name) => Options[name];
    }
}
