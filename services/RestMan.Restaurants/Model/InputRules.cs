using System.Text.RegularExpressions;

namespace RestMan.Restaurants.Model;

/// <summary>
/// The one place that says what acceptable restaurant and menu input is. Each check records the problem under the
/// snake_case field name the client sent, so a 400 always names its field.
/// </summary>
public sealed partial class InputRules
{
    public const int MaxNameLength = 255;
    public const int MaxDescriptionLength = 2000;
    public const int MaxAddressLength = 500;
    public const int MaxPhoneLength = 20;
    public const int MaxDisplayOrder = 1_000_000;
    // A realistic dish price: 100 lines × 100 units of it still fit DECIMAL(12,2) order and bill totals (with tax).
    public const decimal MaxPrice = 1_000_000.00m;

    private readonly Dictionary<string, string> _errors = [];

    public bool IsValid => _errors.Count == 0;
    public IReadOnlyDictionary<string, string> Errors => _errors;

    /// <summary>The trimmed name; required when <paramref name="required"/>, otherwise only checked when given.</summary>
    public string? Name(string? value, bool required = true, string field = "name")
    {
        if (value is null)
        {
            if (required) _errors[field] = "is required.";
            return null;
        }
        var name = value.Trim();
        if (name.Length == 0) _errors[field] = "must not be empty.";
        else if (name.Length > MaxNameLength) _errors[field] = $"must be at most {MaxNameLength} characters.";
        else if (name.Any(char.IsControl)) _errors[field] = "must not contain control characters.";
        return name;
    }

    /// <summary>Trimmed optional text; blank becomes null so "cleared" has one spelling.</summary>
    public string? OptionalText(string? value, string field, int maxLength)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        if (text.Length > maxLength) _errors[field] = $"must be at most {maxLength} characters.";
        // Line breaks are fine in a description; NUL is not text, and PostgreSQL refuses to store it.
        else if (text.Contains('\0')) _errors[field] = "must not contain NUL characters.";
        return text;
    }

    public string? Phone(string? value, string field = "phone")
    {
        var phone = OptionalText(value, field, MaxPhoneLength);
        if (phone is not null && !_errors.ContainsKey(field) && !PhonePattern().IsMatch(phone))
            _errors[field] = "may contain only digits, spaces, '+', '-' and parentheses, with at least 3 digits.";
        return phone;
    }

    public decimal? Price(decimal? value, bool required = true, string field = "price")
    {
        if (value is not { } price)
        {
            if (required) _errors[field] = "is required.";
            return null;
        }
        if (price <= 0) _errors[field] = "must be greater than 0.";
        else if (decimal.Round(price, 2) != price) _errors[field] = "must have at most 2 decimal places.";
        else if (price > MaxPrice) _errors[field] = $"must be at most {MaxPrice}.";
        return price;
    }

    public int? DisplayOrder(int? value, string field = "display_order")
    {
        if (value is < 0 or > MaxDisplayOrder) _errors[field] = $"must be between 0 and {MaxDisplayOrder}.";
        return value;
    }

    public void Add(string field, string message) => _errors[field] = message;

    [GeneratedRegex(@"^(?=(?:\D*\d){3})\+?[0-9 ()\-]+$")]
    private static partial Regex PhonePattern();
}
