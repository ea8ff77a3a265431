using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RestMan.Orders.Model;

/// <summary>A food as the Restaurants service describes it to Orders (<c>GET /internal/foods</c>).</summary>
public sealed record MenuFood(Guid Id, Guid RestaurantId, string Name, decimal Price, bool IsAvailable, bool? RestaurantIsActive = null);

/// <summary>The rules a new order must pass, and its prices: the menu's, never the client's.</summary>
public static class OrderPlacement
{
    public const int MinQuantity = 1;
    public const int MaxQuantity = 100;
    // The Restaurants service answers at most 100 food ids per call, and no one orders more dishes at once.
    public const int MaxLines = 100;
    public const int MaxTextLength = 500;
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
            var seen = new HashSet<Guid>();
            for (var i = 0; i < items.Count; i++)
            {
                var line = items[i];
                if (line is null)
                {
                    rules.Add($"items[{i}]", "is required.");
                    continue;
                }
                if (line.FoodId is not { } foodId || foodId == Guid.Empty) rules.Add($"items[{i}].food_id", "is required.");
                else if (!seen.Add(foodId)) rules.Add($"items[{i}].food_id", "is already on another line; order it once with a larger quantity.");
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
            else lines.Add(new OrderLine(food.Id, food.Name, line.Quantity!.Value, food.Price, Money.LineTotal(food.Price, line.Quantity.Value)));
        }
        if (rules.IsValid && Total(lines) > MaxTotal) rules.Add("items", $"must total at most {MaxTotal}; split the order.");
        return lines;
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
            request.Items?.Select(l => new object?[] { l?.FoodId, l?.Quantity }).ToArray(),
            Clean(request.Notes),
            Clean(request.DeliveryAddress),
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The same for any request: the hash of its normalized fields, in a fixed order.</summary>
    public static string Fingerprint(params object?[] fields) => IdempotencyKeys.Fingerprint(fields);

    /// <summary>The lines as a fingerprint sees them.</summary>
    public static object?[]? Canonical(IReadOnlyList<PlaceOrderLine?>? lines) =>
        lines?.Select(l => (object?)new object?[] { l?.FoodId, l?.Quantity }).ToArray();
}
