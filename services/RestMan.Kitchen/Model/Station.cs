namespace RestMan.Kitchen.Model;

/// <summary>A station of a restaurant's kitchen and what is routed to it: whole categories, or single foods.</summary>
public sealed record Station(
    Guid Id, Guid RestaurantId, string Name, bool IsDefault, IReadOnlyList<Guid> CategoryIds, IReadOnlyList<Guid> FoodIds)
{
    /// <summary>How long (seconds) a ticket here may take before it is late; null: the restaurant's threshold.</summary>
    public int? DelayThresholdSeconds { get; init; }
}

/// <summary>A line to route: its food, and the menu category of that food when the kitchen knows it.</summary>
public sealed record RoutedLine(KitchenTicketItem Item, Guid? CategoryId);

public static class StationRouting
{
    /// <summary>The station of lines nobody routed in a restaurant without a default station: the whole kitchen.</summary>
    public static readonly Guid WholeKitchen = Guid.Empty;

    /// <summary>
    /// Splits a round's lines into one group per station: a food's own route first, then its category's, then the
    /// default station, else the whole kitchen (<see cref="WholeKitchen"/>, no name). Groups keep the lines' order.
    /// </summary>
    public static IReadOnlyList<(Guid StationId, string? StationName, IReadOnlyList<KitchenTicketItem> Items)> Split(
        IReadOnlyList<Station> stations, IReadOnlyList<RoutedLine> lines)
    {
        var ordered = stations.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var fallback = ordered.FirstOrDefault(s => s.IsDefault);
        Station? StationOf(RoutedLine line) =>
            ordered.FirstOrDefault(s => s.FoodIds.Contains(line.Item.FoodId))
            ?? (line.CategoryId is { } category ? ordered.FirstOrDefault(s => s.CategoryIds.Contains(category)) : null)
            ?? fallback;
        return lines
            .GroupBy(l => StationOf(l) is { } s ? (s.Id, (string?)s.Name) : (WholeKitchen, null))
            .Select(g => (g.Key.Item1, g.Key.Item2, (IReadOnlyList<KitchenTicketItem>)g.Select(l => l.Item).ToList()))
            .ToList();
    }
}
