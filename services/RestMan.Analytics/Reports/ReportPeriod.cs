namespace RestMan.Analytics.Reports;

public enum ReportPeriod
{
    Day,
    Month,
    Year,
}

/// <summary>Calendar periods (UTC dates), in C# for request windows and in SQL for grouping rows.</summary>
public static class ReportPeriods
{
    private static readonly Dictionary<string, ReportPeriod> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["day"] = ReportPeriod.Day,
        ["month"] = ReportPeriod.Month,
        ["year"] = ReportPeriod.Year,
    };

    public static string Names => string.Join(", ", ByName.Keys);

    public static bool TryParse(string text, out ReportPeriod period) => ByName.TryGetValue(text, out period);

    public static DateOnly StartOf(this ReportPeriod period, DateOnly date) => period switch
    {
        ReportPeriod.Day => date,
        ReportPeriod.Month => new DateOnly(date.Year, date.Month, 1),
        _ => new DateOnly(date.Year, 1, 1),
    };

    public static DateOnly EndOf(this ReportPeriod period, DateOnly date) => period switch
    {
        ReportPeriod.Day => date,
        ReportPeriod.Month => period.StartOf(date).AddMonths(1).AddDays(-1),
        _ => new DateOnly(date.Year, 12, 31),
    };

    /// <summary>The SQL expression giving the first day of the period that contains <paramref name="dateColumn"/>.</summary>
    public static string StartSql(this ReportPeriod period, string dateColumn) => period switch
    {
        ReportPeriod.Day => dateColumn,
        ReportPeriod.Month => $"toStartOfMonth({dateColumn})",
        _ => $"toStartOfYear({dateColumn})",
    };
}
