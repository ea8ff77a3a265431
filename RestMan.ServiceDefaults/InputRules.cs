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

    /// <summary>An optional id in the query (<c>?restaurant_id=</c>); null when absent, refused when not an id.</summary>
    public Guid? OptionalId(string? value, string field, string what)
    {
        if (value is null) return null;
        if (Guid.TryParse(value, out var id)) return id;
        Add(field, $"must be {what}.");
        return null;
    }
}
