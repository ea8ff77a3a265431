namespace RestMan.Orders.Model;

/// <summary>The statuses of an order, as stored and as they travel in events.</summary>
public static class OrderStatus
{
    public const string Placed = "PLACED";
    public const string Accepted = "ACCEPTED";
    public const string InProgress = "IN_PROGRESS";
    public const string Ready = "READY";
    public const string Completed = "COMPLETED";
    public const string Cancelled = "CANCELLED";

    /// <summary>The way an order goes when nothing goes wrong, in order.</summary>
    public static readonly IReadOnlyList<string> Path = [Placed, Accepted, InProgress, Ready, Completed];

    public static readonly StatusPath Steps = new(Path);

    public static readonly IReadOnlyList<string> All = [.. Path, Cancelled];

    public static bool IsKnown(string? status) => status is not null && All.Contains(status);

    public static bool IsFinal(string status) => status is Completed or Cancelled;
}

/// <summary>Which status changes an order allows, and who may ask for them.</summary>
public static class OrderStatusMachine
{
    /// <summary>The owner's moves: the next step along the path, or CANCELLED while the food is not ready yet.</summary>
    public static bool CanMove(string from, string to) =>
        to == OrderStatus.Cancelled
            ? from is OrderStatus.Placed or OrderStatus.Accepted or OrderStatus.InProgress
            : OrderStatus.Steps.IsNextStep(from, to);

    /// <summary>A customer may only take back an order nobody has accepted yet.</summary>
    public static bool CustomerCanMove(string from, string to) => from == OrderStatus.Placed && to == OrderStatus.Cancelled;

    /// <summary>The order status a kitchen ticket status stands for; null for ticket statuses the order does not follow.</summary>
    public static string? FromTicketStatus(string ticketStatus) => ticketStatus switch
    {
        "ACCEPTED" => OrderStatus.Accepted,
        "IN_PROGRESS" => OrderStatus.InProgress,
        "READY" => OrderStatus.Ready,
        "DELIVERED_TO_SERVICE" => OrderStatus.Completed,
        _ => null,
    };

    /// <summary>
    /// The kitchen only ever moves an order forward: a step the owner already recorded, a stale event or one for a
    /// finished order changes nothing, and a step the owner skipped is simply passed.
    /// </summary>
    public static bool CanFollowKitchen(string current, string target) =>
        !OrderStatus.IsFinal(current) && OrderStatus.Steps.StepOf(target) > OrderStatus.Steps.StepOf(current);
}
