using System.Text.RegularExpressions;

namespace RestMan.Restaurants.Model;

/// <summary>What acceptable restaurant and menu input is: rules of the shared <see cref="InputRules"/>.</summary>
public static partial class MenuInput
{
    public const int MaxNameLength = 255;
    public const int MaxDescriptionLength = 2000;
    public const int MaxAddressLength = 500;
    public const int MaxPhoneLength = 20;
    public const int MaxDisplayOrder = 1_000_000;
    // A realistic dish price: 100 lines × 100 units of it still fit DECIMAL(12,2) order and bill totals (with tax).
    public const decimal MaxPrice = 1_000_000.00m;

    /// <summary>The trimmed name; required when <paramref name="required"/>, otherwise only checked when given.</summary>
    public static string? Name(this InputRules rules, string? value, bool required = true, string field = "name")
    {
        if (value is null)
        {
            if (required) rules.Add(field, "is required.");
            return null;
        }
        var name = value.Trim();
        if (name.Length == 0) rules.Add(field, "must not be empty.");
        else if (name.Length > MaxNameLength) rules.Add(field, $"must be at most {MaxNameLength} characters.");
        else if (name.Any(char.IsControl)) rules.Add(field, "must not contain control characters.");
        return name;
    }

    /// <summary>A time of day as <c>HH:mm</c> (24 hours), e.g. an opening time; null when not given.</summary>
    public static TimeOnly? TimeOfDay(this InputRules rules, string? value, string field)
    {
        if (value is null) return null;
        if (TimeOnly.TryParseExact(value.Trim(), "HH:mm", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var time))
            return time;
        rules.Add(field, "must be a time of day as HH:mm (24 hours), e.g. 18:30.");
        return null;
    }

    /// <summary>A time of day as the API writes it.</summary>
    public static string TimeOfDay(TimeOnly time) => time.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static string? Phone(this InputRules rules, string? value, string field = "phone")
    {
        var phone = rules.OptionalText(value, field, MaxPhoneLength);
        if (phone is not null && !rules.Has(field) && !PhonePattern().IsMatch(phone))
            rules.Add(field, "may contain only digits, spaces, '+', '-' and parentheses, with at least 3 digits.");
        return phone;
    }

    public static decimal? Price(this InputRules rules, decimal? value, bool required = true, string field = "price")
    {
        if (value is not { } price)
        {
            if (required) rules.Add(field, "is required.");
            return null;
        }
        if (price <= 0) rules.Add(field, "must be greater than 0.");
        else if (decimal.Round(price, 2) != price) rules.Add(field, "must have at most 2 decimal places.");
        else if (price > MaxPrice) rules.Add(field, $"must be at most {MaxPrice}.");
        return price;
    }

    public static int? DisplayOrder(this InputRules rules, int? value, string field = "display_order")
    {
        if (value is < 0 or > MaxDisplayOrder) rules.Add(field, $"must be between 0 and {MaxDisplayOrder}.");
        return value;
    }

    [GeneratedRegex(@"^(?=(?:\D*\d){3})\+?[0-9 ()\-]+$")]
    private static partial Regex PhonePattern();
}
