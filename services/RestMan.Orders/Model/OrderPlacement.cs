using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Orders.Model;

/// <summary>
/// A food as the Restaurants service describes it to Orders (<c>GET /internal/foods</c>); a Restaurants service from before
/// modifiers sends no groups and no allergens.
/// </summary>
public sealed record MenuFood(
    Guid Id, Guid RestaurantId, string Name, decimal Price, bool IsAvailable, bool? RestaurantIsActive = null,
    IReadOnlyList<MenuModifierGroup>? ModifierGroups = null, IReadOnlyList<string>? Allergens = null);

/// <summary>A food's modifier group as the menu has it: between <c>min_choices</c> and <c>max_choices</c> of its options.</summary>
public sealed record MenuModifierGroup(Guid Id, string Name, int MinChoices, int MaxChoices, IReadOnlyList<MenuModifierOption> Options);

public sealed record MenuModifierOption(Guid Id, string Name, decimal PriceDelta);

/// <summary>The rules a new order must pass, and its prices: the menu's, never the client's.</summary>
public static class OrderPlacement
{
    public const int MinQuantity = 1;
    public const int MaxQuantity = 100;
    // The Restaurants service answers at most 100 food ids per call, and no one orders more dishes at once.
    public const int MaxLines = 100;
    public const int MaxTextLength = 500;
    public const int MaxLineNoteLength = 200;
    public const int MaxOptionsPerLine = 20;
    // Well under DECIMAL(12,2)'s 9,999,999,999.99, so line totals fit and Billing's total plus tax (even at 10×) never overflows.
    public const decimal MaxTotal = 100_000_000.00m;

    /// <summary>Everything checkable before asking for the menu; valid when the request is well formed.</summary>
    public static InputRules CheckShape(PlaceOrderRequest request)
    {
        var rules = new InputRules();
        if (request.RestaurantId is null || request.RestaurantId == Guid.Empty) rules.Add("restaurant_id", "is required.");
        if (request.OrderType is null || !OrderType.All.Contains(request.OrderType))
            rules.Add("order_type", $"must be one of {string.Join(", ", OrderType.All)}.");

        CheckLines(request.Items, rules);

        var address = rules.OptionalText(request.DeliveryAddress, "delivery_address", MaxTextLength);
        if (request.OrderType == OrderType.Delivery && address is null) rules.Add("delivery_address", "is required for delivery orders.");
        rules.OptionalText(request.Notes, "notes", MaxTextLength);
        return rules;
    }

    /// <summary>The lines of an order or of a table order's round: 1 to <see cref="MaxLines"/>, each food once, sane quantities.</summary>
    public static void CheckLines(IReadOnlyList<PlaceOrderLine?>? lines, InputRules rules)
    {
        var items = lines ?? [];
        if (items.Count == 0) rules.Add("items", "must contain at least one line.");
        else if (items.Count > MaxLines) rules.Add("items", $"may contain at most {MaxLines} lines.");
        else
        {
            var seen = new HashSet<string>();
            for (var i = 0; i < items.Count; i++)
            {
                var line = items[i];
                if (line is null)
                {
                    rules.Add($"items[{i}]", "is required.");
                    continue;
                }
                var note = rules.OptionalText(line.Note, $"items[{i}].note", MaxLineNoteLength);
                var options = line.Options ?? [];
                if (options.Count > MaxOptionsPerLine) rules.Add($"items[{i}].options", $"may contain at most {MaxOptionsPerLine} options.");
                for (var j = 0; j < options.Count && j < MaxOptionsPerLine; j++)
                {
                    if (options[j] is not { } option || option == Guid.Empty) rules.Add($"items[{i}].options[{j}]", "is required: an option id.");
                    else if (options.Take(j).Contains(option)) rules.Add($"items[{i}].options[{j}]", "is chosen twice on this line.");
                }
                // The same food twice is two lines only when the guest wants it two ways (other options or another note).
                var way = $"{line.FoodId}|{string.Join(',', options.Order())}|{note}";
                if (line.FoodId is not { } foodId || foodId == Guid.Empty) rules.Add($"items[{i}].food_id", "is required.");
                else if (!seen.Add(way)) rules.Add($"items[{i}].food_id", "is already on another line with the same options; order it once with a larger quantity.");
                if (line.Quantity is not (>= MinQuantity and <= MaxQuantity))
                    rules.Add($"items[{i}].quantity", $"must be between {MinQuantity} and {MaxQuantity}.");
            }
        }
    }

    /// <summary>The distinct foods a well-formed request asks for.</summary>
    public static IReadOnlyList<Guid> FoodIds(PlaceOrderRequest request) => FoodIds(request.Items!);

    public static IReadOnlyList<Guid> FoodIds(IReadOnlyList<PlaceOrderLine?> lines) =>
        lines.Select(line => line!.FoodId!.Value).Distinct().ToList();

    /// <summary>
    /// Prices each line from the menu. Every food must exist, belong to the ordered restaurant and be available;
    /// each that does not is named in <paramref name="rules"/>.
    /// </summary>
    public static IReadOnlyList<OrderLine> Price(PlaceOrderRequest request, IReadOnlyDictionary<Guid, MenuFood> menu, InputRules rules) =>
        Price(request.RestaurantId!.Value, request.Items!, menu, rules);

    /// <summary>The same for any well-formed lines of <paramref name="restaurantId"/> (a table order's round).</summary>
    public static IReadOnlyList<OrderLine> Price(Guid restaurantId, IReadOnlyList<PlaceOrderLine?> items, IReadOnlyDictionary<Guid, MenuFood> menu, InputRules rules)
    {
        var lines = new List<OrderLine>();
        for (var i = 0; i < items.Count; i++)
        {
            var line = items[i]!;
            var field = $"items[{i}].food_id";
            if (!menu.TryGetValue(line.FoodId!.Value, out var food)) rules.Add(field, "is not a known food.");
            else if (food.RestaurantId != restaurantId) rules.Add(field, "belongs to another restaurant.");
            else if (!food.IsAvailable) rules.Add(field, $"'{food.Name}' is not available right now.");
            else if (Choose(food, line.Options ?? [], $"items[{i}]", rules) is { } chosen)
            {
                var unitPrice = food.Price + chosen.Sum(o => o.PriceDelta);
                if (unitPrice < 0) rules.Add($"items[{i}].options", "bring the price of the food below 0.");
                else lines.Add(new OrderLine(food.Id, food.Name, line.Quantity!.Value, unitPrice, Money.LineTotal(unitPrice, line.Quantity.Value))
                {
                    Options = chosen,
                    Note = Clean(line.Note),
                    Allergens = food.Allergens ?? [],
                });
            }
        }
        if (rules.IsValid && Total(lines) > MaxTotal) rules.Add("items", $"must total at most {MaxTotal}; split the order.");
        return lines;
    }

    /// <summary>
    /// The options chosen for one line, in the menu's order of groups, when every id is an option of the food and each
    /// group gets between its min and max; otherwise null with each fault named under <paramref name="field"/>.
    /// </summary>
    public static IReadOnlyList<OrderItemOption>? Choose(MenuFood food, IReadOnlyList<Guid?> optionIds, string field, InputRules rules)
    {
        var groups = food.ModifierGroups ?? [];
        var valid = true;
        var chosen = new HashSet<Guid>();
        for (var j = 0; j < optionIds.Count; j++)
        {
            var id = optionIds[j]!.Value;
            if (!groups.Any(g => g.Options.Any(o => o.Id == id)))
            {
                rules.Add($"{field}.options[{j}]", $"is not an option of '{food.Name}'.");
                valid = false;
            }
            chosen.Add(id);
        }
        foreach (var group in groups)
        {
            var count = group.Options.Count(o => chosen.Contains(o.Id));
            if (count < group.MinChoices)
            {
                rules.Add($"{field}.options", group.MinChoices == group.MaxChoices
                    ? $"must choose {group.MinChoices} of '{group.Name}' for '{food.Name}'."
                    : $"must choose at least {group.MinChoices} of '{group.Name}' for '{food.Name}'.");
                valid = false;
            }
            else if (count > group.MaxChoices)
            {
                rules.Add($"{field}.options", $"may choose at most {group.MaxChoices} of '{group.Name}' for '{food.Name}'.");
                valid = false;
            }
        }
        if (!valid) return null;
        return groups.SelectMany(g => g.Options.Where(o => chosen.Contains(o.Id)).Select(o => new OrderItemOption(o.Id, g.Name, o.Name, o.PriceDelta))).ToList();
    }

    public static decimal Total(IEnumerable<OrderLine> lines) => Money.Round(lines.Sum(l => l.LineTotal));

    /// <summary>Trimmed text, or null when there is none.</summary>
    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>
    /// What makes two requests "the same order" for an idempotency key: the normalized fields that shape the order.
    /// Anything the server ignores (a client's prices) does not count.
    /// </summary>
    public static string Fingerprint(PlaceOrderRequest request)
    {
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            request.RestaurantId,
            request.OrderType,
            Canonical(request.Items),
            Clean(request.Notes),
            Clean(request.DeliveryAddress),
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The same for any request: the hash of its normalized fields, in a fixed order.</summary>
    public static string Fingerprint(params object?[] fields) => IdempotencyKeys.Fingerprint(fields);

    /// <summary>The lines as a fingerprint sees them.</summary>
    public static object?[]? Canonical(IReadOnlyList<PlaceOrderLine?>? lines) =>
        lines?.Select(l => (object?)(l?.Options is null && l?.Note is null
            ? new object?[] { l?.FoodId, l?.Quantity }
            : new object?[] { l.FoodId, l.Quantity, l.Options, Clean(l.Note) })).ToArray();
}
