namespace RestMan.Orders.Infrastructure;

public static class DatabaseTime
{
    /// <summary>The time as TIMESTAMPTZ keeps it (microseconds), so answers and events carry exactly what was stored.</summary>
    public static DateTimeOffset Stored(DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMicrosecond));

    /// <summary>
    /// The stored time of a move requested at <paramref name="at"/> on an order last changed at <paramref name="lastChange"/>:
    /// never before that change (1 µs after it at least), because kitchen moves carry the kitchen's clock, possibly lagging,
    /// and Analytics keeps the latest <c>changed_at</c>.
    /// </summary>
    public static DateTimeOffset NextChange(DateTimeOffset at, DateTimeOffset lastChange)
    {
        var earliest = Stored(lastChange).AddTicks(TimeSpan.TicksPerMicrosecond);
        var stored = Stored(at);
        return stored < earliest ? earliest : stored;
    }
}
