namespace RestMan.Scheduler;

/// <summary>The scheduler's tunables, bound from the "Scheduler" configuration section.</summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>How often the idle-customer sweep runs (across all instances together).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A customer account last verified longer ago than this is deactivated (the 2-hour rule).</summary>
    public TimeSpan InactiveAfter { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long finished run records are kept for inspection.</summary>
    public TimeSpan JobRunRetention { get; set; } = TimeSpan.FromDays(7);
}
