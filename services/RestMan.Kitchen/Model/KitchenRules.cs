namespace RestMan.Kitchen.Model;

/// <summary>How urgent a ticket is: staff raise or lower it; the display shows urgent first, then high, then by age.</summary>
public static class TicketPriority
{
    public const string Normal = "normal";
    public const string High = "high";
    public const string Urgent = "urgent";

    public static readonly IReadOnlyList<string> All = [Normal, High, Urgent];

    public static bool IsKnown(string? priority) => priority is not null && All.Contains(priority);

    /// <summary>0 for urgent, 1 for high, 2 for anything else (normal, or unknown from an older writer).</summary>
    public static int Rank(string? priority) => priority switch
    {
        Urgent => 0,
        High => 1,
        _ => 2,
    };

    /// <summary>
    /// The order a kitchen works in: urgent first, then high, then first ordered (the order's or round's placed_at, as
    /// the display shows it: orders on different Kafka partitions can open their tickets the other way round).
    /// </summary>
    public static IEnumerable<KitchenTicket> InWorkOrder(IEnumerable<KitchenTicket> tickets) =>
        tickets.OrderBy(t => Rank(t.Priority)).ThenBy(t => t.PlacedAt).ThenBy(t => t.CreatedAt).ThenBy(t => t.Round).ThenBy(t => t.Id);

    /// <summary>The same order in SQL (ORDER BY), over the ticket table's columns.</summary>
    public const string SqlOrder = "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, placed_at, created_at, round, id";
}

/// <summary>What the kitchen learns from its own history: the typical (median) time a food takes.</summary>
public static class PrepTimes
{
    /// <summary>
    /// How long one line took: started → bumped when the cook started it first; else (bumped at once, or the
    /// whole ticket marked READY) from the ticket's opening to the bump. Null for a line not bumped.
    /// </summary>
    public static TimeSpan? Of(DateTimeOffset openedAt, DateTimeOffset? startedAt, DateTimeOffset? bumpedAt)
    {
        if (bumpedAt is not { } bumped) return null;
        var from = startedAt is { } started && started < bumped ? started : openedAt;
        return bumped >= from ? bumped - from : null;
    }

    /// <summary>The median of the samples (the mean of the middle two for an even count); null without samples.</summary>
    public static TimeSpan? Median(IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.OrderBy(s => s).ToList();
        if (sorted.Count == 0) return null;
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>"typ. 12 min" on the display: whole minutes, at least one.</summary>
    public static int Minutes(TimeSpan median) => Math.Max(1, (int)Math.Round(median.TotalMinutes, MidpointRounding.AwayFromZero));
}

/// <summary>When a ticket is late: past its station's threshold, else its restaurant's, else the kitchen's default.</summary>
public static class DelayRules
{
    /// <summary>The default threshold when the owner set none: 20 minutes, when the display already turned a ticket red.</summary>
    public const int DefaultThresholdSeconds = 20 * 60;

    public const int MinThresholdSeconds = 1;
    public const int MaxThresholdSeconds = 24 * 60 * 60;

    public static int ThresholdSeconds(int? station, int? restaurant) => station ?? restaurant ?? DefaultThresholdSeconds;

    /// <summary>Whether a ticket opened at <paramref name="openedAt"/> and still in the kitchen is late at <paramref name="now"/>.</summary>
    public static bool IsLate(string status, DateTimeOffset openedAt, int thresholdSeconds, DateTimeOffset now) =>
        status is TicketStatus.New or TicketStatus.Accepted or TicketStatus.InProgress && now - openedAt >= TimeSpan.FromSeconds(thresholdSeconds);
}

/// <summary>The estimate a cook may give on accepting a ticket: in minutes from now, or a time.</summary>
public static class Estimates
{
    public const int MaxMinutes = 600;

    /// <summary>
    /// The expected ready time from a request moving a ticket to <paramref name="target"/>; null when none was given.
    /// An estimate comes only with ACCEPTED, as minutes (1–600) or a time within the next 24 h, not both; each
    /// refusal names its field.
    /// </summary>
    public static DateTimeOffset? Read(InputRules rules, string target, int? minutes, string? readyAt, DateTimeOffset now)
    {
        if (minutes is null && string.IsNullOrWhiteSpace(readyAt)) return null;
        var field = minutes is not null ? "estimated_minutes" : "estimated_ready_at";
        if (target != TicketStatus.Accepted)
        {
            rules.Add(field, "is given only when accepting a ticket (status ACCEPTED).");
            return null;
        }
        if (minutes is not null && !string.IsNullOrWhiteSpace(readyAt))
        {
            rules.Add("estimated_ready_at", "give either estimated_minutes or estimated_ready_at, not both.");
            return null;
        }
        if (minutes is { } m)
        {
            if (m is >= 1 and <= MaxMinutes) return now.AddMinutes(m);
            rules.Add("estimated_minutes", $"must be a whole number from 1 to {MaxMinutes}.");
            return null;
        }
        if (DateTimeOffset.TryParse(readyAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at)
            && at > now && at <= now.AddHours(24))
            return at.ToUniversalTime();
        rules.Add("estimated_ready_at", "must be an ISO 8601 time within the next 24 hours.");
        return null;
    }
}
