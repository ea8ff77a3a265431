extern alias OrdersService;
extern alias WebApp;

using Microsoft.Extensions.Hosting;
using OrdersService::RestMan.Orders.Model;
using WebCart = WebApp::RestMan.Web.Gateway.OrderCart;
using WebFood = WebApp::RestMan.Web.Gateway.MenuFood;
using WebGroup = WebApp::RestMan.Web.Gateway.ModifierGroup;
using WebOption = WebApp::RestMan.Web.Gateway.ModifierOption;

namespace RestMan.UnitTests.Ordering;

/// <summary>Issue 26: which options a line may have, what they cost, and when the same food is one line or two.</summary>
[Trait("Category", "Unit")]
public sealed class ModifierRulesTests
{
    private static readonly Guid Small = Guid.NewGuid(), Large = Guid.NewGuid(), Cheese = Guid.NewGuid(), Olives = Guid.NewGuid();
    private static readonly Guid RestaurantId = Guid.NewGuid();

    private static readonly MenuFood Pizza = new(Guid.NewGuid(), RestaurantId, "Pizza", 10.00m, true, true,
    [
        new MenuModifierGroup(Guid.NewGuid(), "Size", 1, 1, [new MenuModifierOption(Small, "Small", 0m), new MenuModifierOption(Large, "Large", 3.00m)]),
        new MenuModifierGroup(Guid.NewGuid(), "Extras", 0, 1, [new MenuModifierOption(Cheese, "Cheese", 1.50m), new MenuModifierOption(Olives, "Olives", 1.00m)]),
    ], ["gluten", "milk"]);

    private static (IReadOnlyList<OrderLine> Lines, InputRules Rules) Price(params PlaceOrderLine[] lines)
    {
        var rules = new InputRules();
        OrderPlacement.CheckLines(lines, rules);
        if (!rules.IsValid) return ([], rules);
        return (OrderPlacement.Price(RestaurantId, lines, new Dictionary<Guid, MenuFood> { [Pizza.Id] = Pizza }, rules), rules);
    }

    [Fact]
    public void The_unit_price_adds_the_options_deltas_and_the_line_keeps_them_in_menu_order_with_the_allergens()
    {
        var (lines, rules) = Price(new PlaceOrderLine(Pizza.Id, 2, [Cheese, Large], " well done "));
        rules.IsValid.ShouldBeTrue();
        var line = lines.Single();
        (line.UnitPrice, line.LineTotal, line.Note).ShouldBe((14.50m, 29.00m, "well done"));
        line.Options.Select(o => $"{o.Group}: {o.Name}").ShouldBe(["Size: Large", "Extras: Cheese"]);
        line.Allergens.ShouldBe(["gluten", "milk"]);
    }

    [Theory]
    [InlineData("none", "items[0].options")]
    [InlineData("two sizes", "items[0].options")]
    [InlineData("two extras", "items[0].options")]
    [InlineData("unknown", "items[0].options[1]")]
    [InlineData("twice", "items[0].options[1]")]
    public void Choices_the_groups_do_not_allow_name_the_field(string choice, string field)
    {
        Guid?[] options = choice switch
        {
            "none" => [],
            "two sizes" => [Small, Large],
            "two extras" => [Small, Cheese, Olives],
            "unknown" => [Small, Guid.NewGuid()],
            _ => [Small, Small],
        };
        var (_, rules) = Price(new PlaceOrderLine(Pizza.Id, 1, options));
        rules.Errors.Keys.ShouldContain(field);
    }

    [Fact]
    public void The_same_food_is_two_lines_only_when_wanted_two_ways()
    {
        Price(new PlaceOrderLine(Pizza.Id, 1, [Small]), new PlaceOrderLine(Pizza.Id, 1, [Large])).Rules.IsValid.ShouldBeTrue();
        Price(new PlaceOrderLine(Pizza.Id, 1, [Small]), new PlaceOrderLine(Pizza.Id, 1, [Small], "no basil")).Rules.IsValid.ShouldBeTrue();
        Price(new PlaceOrderLine(Pizza.Id, 1, [Small]), new PlaceOrderLine(Pizza.Id, 1, [Small])).Rules.Errors.Keys.ShouldContain("items[1].food_id");
    }

    [Fact]
    public void Lines_without_options_fingerprint_as_before_modifiers()
    {
        // An Idempotency-Key stored before modifiers must still match the same request replayed after.
        var request = new PlaceOrderRequest(RestaurantId, "dine_in", [new PlaceOrderLine(Pizza.Id, 2)], null, null);
        var before = IdempotencyFingerprint(RestaurantId, "dine_in", [new object?[] { Pizza.Id, 2 }]);
        OrderPlacement.Fingerprint(request).ShouldBe(before);
    }

    [Fact]
    public void The_web_cart_keeps_one_line_per_way_and_previews_the_price_with_options()
    {
        var pizza = new WebFood(Pizza.Id, "Pizza", null, 10.00m,
        [
            new WebGroup(Guid.NewGuid(), "Size", 1, 1, [new WebOption(Small, "Small", 0m), new WebOption(Large, "Large", 3.00m)]),
        ]);
        var cart = new WebCart();
        cart.Add(pizza, [Large]);
        cart.Add(pizza, [Large]);
        cart.Add(pizza, [Small], "no basil");
        cart.Lines.Select(l => (l.Quantity, l.UnitPrice, l.OptionNames)).ShouldBe([(2, 13.00m, "Large"), (1, 10.00m, "Small")]);
        cart.Total.ShouldBe(36.00m);
        cart.QuantityOf(pizza.Id).ShouldBe(3);
    }

    private static string IdempotencyFingerprint(Guid restaurantId, string orderType, object?[][] lines)
    {
        var canonical = System.Text.Json.JsonSerializer.Serialize(new object?[] { restaurantId, orderType, lines, null, null });
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
    }
}
