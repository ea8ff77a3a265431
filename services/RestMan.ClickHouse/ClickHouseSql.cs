using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RestMan.ClickHouse;

/// <summary>
/// SQL literals for ClickHouse built only from typed values. ClickHouse 18.16 has no query parameters,
/// so every value placed in a statement must come through one of these.
/// </summary>
public static partial class ClickHouseSql
{
    /// <summary>A quoted string literal; backslash, quote and control characters are escaped.</summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var literal = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => literal.Append(@"\\"),
                '\'' => literal.Append(@"\'"),
                '\0' => literal.Append(@"\0"),
                '\b' => literal.Append(@"\b"),
                '\f' => literal.Append(@"\f"),
                '\n' => literal.Append(@"\n"),
                '\r' => literal.Append(@"\r"),
                '\t' => literal.Append(@"\t"),
                _ when char.IsControl(c) && c < 0x80 => literal.Append(CultureInfo.InvariantCulture, $@"\x{(int)c:X2}"),
                _ => literal.Append(c),
            };
        }

        return literal.Append('\'').ToString();
    }

    public static string Literal(Guid value) => $"toUUID('{value:D}')";

    public static string Literal(DateOnly value) =>
        $"toDate('{value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}')";

    /// <summary>A UTC DateTime; an Unspecified kind is taken as UTC.</summary>
    public static string Literal(DateTime value) =>
        $"toDateTime('{ClickHouseJson.FormatDateTime(value)}', 'UTC')";

    public static string Literal(DateTimeOffset value) => Literal(value.UtcDateTime);

    /// <summary>A Decimal128 of the value's own scale: a bare 12.50 would be a Float64, which Decimal columns refuse to compare with.</summary>
    public static string Literal(decimal value) =>
        $"toDecimal128('{value.ToString(CultureInfo.InvariantCulture)}', {value.Scale})";

    /// <summary>Negative numbers are parenthesized so "a-{x}" can never become the comment "a--5".</summary>
    public static string Literal(long value) =>
        value < 0
            ? $"({value.ToString(CultureInfo.InvariantCulture)})"
            : value.ToString(CultureInfo.InvariantCulture);

    public static string Literal(int value) => Literal((long)value);

    public static string Literal(bool value) => value ? "1" : "0";

    /// <summary>A parenthesized list for <c>IN</c>, e.g. "(toUUID('…'), toUUID('…'))"; ClickHouse rejects an empty one.</summary>
    public static string List(IEnumerable<Guid> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var literals = values.Select(Literal).ToList();
        if (literals.Count == 0)
        {
            throw new ArgumentException("An IN list needs at least one value; handle the empty case before querying.", nameof(values));
        }

        return $"({string.Join(", ", literals)})";
    }

    /// <summary>Returns a table or column name, optionally database-qualified, after checking it is a plain identifier.</summary>
    public static string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!QualifiedIdentifier().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain ClickHouse identifier (letters, digits, underscores; optionally database.table).", nameof(name));
        }

        return name;
    }

    internal static bool IsSimpleIdentifier(string name) => SimpleIdentifier().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$")]
    private static partial Regex QualifiedIdentifier();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex SimpleIdentifier();
}
