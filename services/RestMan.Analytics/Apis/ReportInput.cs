using RestMan.Analytics.Reports;

namespace RestMan.Analytics.Apis;

/// <summary>
/// The reports' own input rules on top of <see cref="InputRules"/>. Values are never echoed back: they may be
/// anything, including SQL.
/// </summary>
public static class ReportInput
{
    public const int MaxLimit = 100;

    // What ClickHouse's Date and DateTime can hold: outside it a literal would fail inside ClickHouse instead of here.
    private static readonly DateOnly EarliestDate = new(1970, 1, 1);
    private static readonly DateOnly LatestDate = new(2105, 12, 31);

    /// <summary>A computed default date moved into the range ClickHouse can hold.</summary>
    public static DateOnly Storable(DateOnly date) => date < EarliestDate ? EarliestDate : date > LatestDate ? LatestDate : date;

    public static DateOnly ReportDate(this InputRules rules, string? value, string field, DateOnly fallback) =>
        rules.Date(value, field, fallback, EarliestDate, LatestDate);

    public static ReportPeriod Period(this InputRules rules, string? value, ReportPeriod fallback)
    {
        if (string.IsNullOrEmpty(value)) return fallback;
        if (ReportPeriods.TryParse(value, out var period)) return period;
        rules.Add("period", $"must be one of: {ReportPeriods.Names}.");
        return fallback;
    }

    public static int Limit(this InputRules rules, string? value, int fallback) => rules.WholeNumber(value, "limit", fallback, 1, MaxLimit);

    /// <summary>Optional; an empty <c>restaurant_id=</c> means all the caller's restaurants.</summary>
    public static Guid? RestaurantId(this InputRules rules, string? value) =>
        string.IsNullOrEmpty(value) ? null : rules.OptionalId(value, "restaurant_id", "a restaurant id");
}
