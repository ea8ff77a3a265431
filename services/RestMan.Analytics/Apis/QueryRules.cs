using System.Globalization;
using RestMan.Analytics.Reports;

namespace RestMan.Analytics.Apis;

/// <summary>
/// Reads query-string values strictly and gathers every problem, named by its parameter, for one 400. Values are
/// never echoed back: they may be anything, including SQL.
/// </summary>
public sealed class QueryRules
{
    public const int MaxLimit = 100;

    // What ClickHouse's Date and DateTime can hold: outside it a literal would fail inside ClickHouse instead of here.
    private static readonly DateOnly EarliestDate = new(1970, 1, 1);
    private static readonly DateOnly LatestDate = new(2105, 12, 31);

    private readonly Dictionary<string, string> _errors = [];

    public IReadOnlyDictionary<string, string> Errors => _errors;

    public bool IsValid => _errors.Count == 0;

    public void Add(string parameter, string message) => _errors.TryAdd(parameter, message);

    /// <summary>A computed default date moved into the range ClickHouse can hold.</summary>
    public static DateOnly Storable(DateOnly date) => date < EarliestDate ? EarliestDate : date > LatestDate ? LatestDate : date;

    public DateOnly Date(string? value, string parameter, DateOnly fallback)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date >= EarliestDate && date <= LatestDate)
        {
            return date;
        }

        Add(parameter, $"must be a date as YYYY-MM-DD from {EarliestDate:yyyy-MM-dd} to {LatestDate:yyyy-MM-dd}.");
        return fallback;
    }

    public ReportPeriod Period(string? value, ReportPeriod fallback)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        if (ReportPeriods.TryParse(value, out var period))
        {
            return period;
        }

        Add("period", $"must be one of: {ReportPeriods.Names}.");
        return fallback;
    }

    public int Limit(string? value, int fallback)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit)
        {
            return limit;
        }

        Add("limit", $"must be a whole number from 1 to {MaxLimit}.");
        return fallback;
    }

    public Guid? RestaurantId(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (Guid.TryParseExact(value, "D", out var id))
        {
            return id;
        }

        Add("restaurant_id", "must be a restaurant id (a UUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301).");
        return null;
    }

    /// <summary>One of <paramref name="allowed"/> (any case), returned as spelled there; null when absent.</summary>
    public string? OneOf(string? value, string parameter, IReadOnlyList<string> allowed)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var match = allowed.FirstOrDefault(candidate => string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Add(parameter, $"must be one of: {string.Join(", ", allowed)}.");
        }

        return match;
    }

    public void Window(DateOnly from, DateOnly to)
    {
        if (from > to)
        {
            Add("from", "must not be after to.");
        }
    }
}
