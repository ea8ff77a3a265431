using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RestMan.ClickHouse;

/// <summary>How rows travel to and from ClickHouse: snake_case names, DateTime as "yyyy-MM-dd HH:mm:ss" UTC.</summary>
public static class ClickHouseJson
{
    private const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss";

    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        // ClickHouse quotes 64-bit integers by default and may quote decimals; accept both shapes.
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        // Raw UTF-8 is what ClickHouse stores; this body is never rendered as HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new DateTimeConverter(), new DateTimeOffsetConverter(), new BooleanConverter() },
    };

    internal static string FormatDateTime(DateTime value) =>
        ToUtc(value).ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static DateTime ParseUtc(string text)
    {
        string[] formats = [DateTimeFormat, "yyyy-MM-dd"];
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var exact))
        {
            return exact;
        }

        return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }

    private sealed class DateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ParseUtc(reader.GetString() ?? throw new JsonException("A DateTime cannot be null."));

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(FormatDateTime(value));
    }

    private sealed class DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(ParseUtc(reader.GetString() ?? throw new JsonException("A DateTimeOffset cannot be null.")));

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(FormatDateTime(value.UtcDateTime));
    }

    // ClickHouse 18.16 has no Bool type: flags are UInt8 columns that come back as 0 or 1.
    private sealed class BooleanConverter : JsonConverter<bool>
    {
        public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.Number => reader.GetInt64() != 0,
            JsonTokenType.String when long.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number != 0,
            _ => throw new JsonException($"Cannot read a boolean from {reader.TokenType}."),
        };

        public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value ? 1 : 0);
    }
}
