namespace RestMan.Kitchen.Model;

/// <summary>The statuses of a kitchen ticket, as stored and as the kitchen announces them in <c>order.status_updated</c>.</summary>
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
}

public static class TicketStatusMachine
{
    /// <summary>Staff move a ticket exactly one step along its path; a cancelled ticket stays cancelled.</summary>
    public static bool CanMove(string from, string to) => TicketStatus.Steps.IsNextStep(from, to);

    /// <summary>A cancelled order takes its ticket with it unless the food has already gone out.</summary>
    public static bool CanCancel(string current) => current is not (TicketStatus.DeliveredToService or TicketStatus.Cancelled);
}
