namespace RestMan.Orders.Infrastructure;

public static class DatabaseTime
{
    /// <summary>The time as TIMESTAMPTZ keeps it (microseconds), so answers and events carry exactly what was stored.</summary>
    public static DateTimeOffset Stored(DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMicrosecond));
}
