namespace RestMan.Kitchen.Model;

/// <summary>The statuses of a kitchen ticket, as stored and as the kitchen announces them in its <c>kitchen.ticket_*</c> events.</summary>
public static class TicketStatus
{
    public const string New = "NEW";
    public const string Accepted = "ACCEPTED";
    public const string InProgress = "IN_PROGRESS";
    public const string Ready = "READY";
    public const string DeliveredToService = "DELIVERED_TO_SERVICE";
    public const string Cancelled = "CANCELLED";

    /// <summary>The way a ticket goes through the kitchen, in order.</summary>
    public static readonly IReadOnlyList<string> Path = [New, Accepted, InProgress, Ready, DeliveredToService];

    public static readonly StatusPath Steps = new(Path);

    public static readonly IReadOnlyList<string> All = [.. Path, Cancelled];

    public static bool IsKnown(string? status) => status is not null && All.Contains(status);

    /// <summary>
    /// How far the kitchen is with a round split over several tickets (stations): READY or further only once every
    /// live ticket is (the least advanced then), otherwise the most advanced one up to IN_PROGRESS; null while none is live.
    /// </summary>
    public static string? RoundProgress(IEnumerable<string> ticketStatuses)
    {
        var steps = ticketStatuses.Where(s => s != Cancelled).Select(Steps.StepOf).ToList();
        if (steps.Count == 0) return null;
        var ready = Steps.StepOf(Ready);
        var step = steps.Min() >= ready ? steps.Min() : Math.Min(steps.Max(), ready - 1);
        return Path[step];
    }
}

/// <summary>The statuses of one ticket line: a cook starts it, then bumps it when it is done.</summary>
public static class TicketItemStatus
{
    public const string New = "NEW";
    public const string InProgress = "IN_PROGRESS";
    public const string Ready = "READY";
    public const string Voided = "VOIDED";

    /// <summary>What staff may set on a line.</summary>
    public static readonly IReadOnlyList<string> Settable = [InProgress, Ready];
}

public static class TicketStatusMachine
{
    /// <summary>Staff move a ticket exactly one step along its path; a cancelled ticket stays cancelled.</summary>
    public static bool CanMove(string from, string to) => TicketStatus.Steps.IsNextStep(from, to);

    /// <summary>A cancelled order takes its ticket with it unless the food has already gone out.</summary>
    public static bool CanCancel(string current) => current is not (TicketStatus.DeliveredToService or TicketStatus.Cancelled);

    /// <summary>Lines are worked while the ticket is still being cooked; a READY, delivered or cancelled ticket's lines are fixed.</summary>
    public static bool CanWorkLines(string current) => current is TicketStatus.New or TicketStatus.Accepted or TicketStatus.InProgress;

    /// <summary>
    /// The ticket's status after a line moved: READY when every live line is bumped, IN_PROGRESS once any is started
    /// or bumped, else unchanged.
    /// </summary>
    public static string AfterLineWork(string current, IReadOnlyCollection<KitchenTicketItem> lines)
    {
        var live = lines.Where(l => !l.Voided).ToList();
        if (live.Count > 0 && live.All(l => l.BumpedAt is not null)) return TicketStatus.Ready;
        if (live.Any(l => l.StartedAt is not null || l.BumpedAt is not null) && current is TicketStatus.New or TicketStatus.Accepted) return TicketStatus.InProgress;
        return current;
    }
}
