using System.Globalization;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What is wrong with a request, each problem under the snake_case field the client sent, so a 400 always names its
/// field: the one way every service validates input. Services add their own rules as extension methods.
/// </summary>
public sealed class InputRules
{
    private readonly Dictionary<string, string> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyDictionary<string, string> Errors => _errors;

    /// <summary>Records <paramref name="message"/> for <paramref name="field"/>; a later problem of the same field replaces it.</summary>
    public void Add(string field, string message) => _errors[field] = message;

    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>
    /// Trimmed optional text; blank becomes null so "cleared" has one spelling. Longer than <paramref name="maxLength"/>
    /// is refused, and so is NUL: it is not text, and PostgreSQL refuses to store it (line breaks are fine).
    /// </summary>
    public string? OptionalText(string? value, string field, int maxLength)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        if (text.Length > maxLength) Add(field, $"must be at most {maxLength} characters.");
        else if (text.Contains('\0')) Add(field, "must not contain NUL characters.");
        return text;
    }

    /// <summary>A required id in the query (<c>?restaurant_id=</c>); null, and refused, when absent or not an id.</summary>
    public Guid? RequiredId(string? value, string field, string what) => OptionalId(value ?? "", field, what);

    /// <summary>An optional id in the query (<c>?restaurant_id=</c>); null when absent, refused when not an id.</summary>
    public Guid? OptionalId(string? value, string field, string what)
    {
        if (value is null) return null;
        if (Guid.TryParse(value, out var id)) return id;
        Add(field, $"must be {what}.");
        return null;
    }

    // Query-string values below: absent (null) and empty (?date=) both mean "not given", as a form sends them.

    /// <summary>An optional <c>YYYY-MM-DD</c> date from <paramref name="earliest"/> to <paramref name="latest"/>; <paramref name="fallback"/> when not given or refused.</summary>
    public DateOnly Date(string? value, string field, DateOnly fallback, DateOnly earliest, DateOnly latest)
    {
        if (string.IsNullOrEmpty(value)) return fallback;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date >= earliest && date <= latest)
            return date;
        Add(field, $"must be a date as YYYY-MM-DD from {earliest:yyyy-MM-dd} to {latest:yyyy-MM-dd}.");
        return fallback;
    }

    /// <summary>An optional whole number from <paramref name="min"/> to <paramref name="max"/> (digits only); <paramref name="fallback"/> when not given or refused.</summary>
    public int WholeNumber(string? value, string field, int fallback, int min, int max)
    {
        if (string.IsNullOrEmpty(value)) return fallback;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            return number;
        Add(field, $"must be a whole number from {min} to {max}.");
        return fallback;
    }

    /// <summary>One of <paramref name="allowed"/> (any case), returned as spelled there; null when not given or refused.</summary>
    public string? OneOf(string? value, string field, IReadOnlyList<string> allowed)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var match = allowed.FirstOrDefault(candidate => string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase));
        if (match is null) Add(field, $"must be one of: {string.Join(", ", allowed)}.");
        return match;
    }

    /// <summary>A window from <paramref name="from"/> to <paramref name="to"/>, both days included: refused when it runs backwards.</summary>
    public void Window(DateOnly from, DateOnly to, string fromField = "from", string toField = "to")
    {
        if (from > to) Add(fromField, $"must not be after {toField}.");
    }
}
