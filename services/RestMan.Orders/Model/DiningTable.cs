namespace RestMan.Orders.Model;

/// <summary>A table of a restaurant's floor, as stored; <see cref="CurrentOrderId"/> is the open order seated there.</summary>
public sealed record DiningTable(
    Guid Id,
    Guid RestaurantId,
    int Number,
    int Capacity,
    string Section,
    string Status,
    Guid? CurrentOrderId,
    DateTimeOffset? RemovedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// The statuses of a table: AVAILABLE → OCCUPIED (an order is opened) → NEEDS_CLEANING (paid, or its order left) →
/// AVAILABLE (cleaned); RESERVED holds an AVAILABLE table for a reservation due soon until the party is seated.
/// </summary>
public static class TableStatus
{
    public const string Available = "AVAILABLE";
    public const string Occupied = "OCCUPIED";
    public const string NeedsCleaning = "NEEDS_CLEANING";
    public const string Reserved = "RESERVED";

    public static readonly IReadOnlyList<string> All = [Available, Occupied, NeedsCleaning, Reserved];

    public static bool IsKnown(string? status) => status is not null && All.Contains(status);

    /// <summary>Every move a table makes, whoever causes it (an order opened or paid, a reservation, a waiter).</summary>
    public static bool CanMove(string from, string to) => (from, to) switch
    {
        (Available, Occupied) or (Available, Reserved) => true,
        (Reserved, Occupied) or (Reserved, Available) => true,
        (Occupied, NeedsCleaning) => true,
        (NeedsCleaning, Available) => true,
        _ => false,
    };

    /// <summary>
    /// The moves staff make by hand: OCCUPIED comes and goes only with an order (opened, then paid, moved or merged
    /// away), so a table with guests is never freed by a tap.
    /// </summary>
    public static bool CanSetByHand(string from, string to) => to != Occupied && from != Occupied && CanMove(from, to);

    /// <summary>A table that can take a new party now.</summary>
    public static bool CanSeat(string status) => status is Available or Reserved;
}
