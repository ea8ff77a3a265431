using System.Text.Json;
using System.Text.Json.Serialization;

namespace RestMan.Restaurants.Model;

/// <summary>
/// A request field that may be absent, present with a value, or present as <c>null</c>: an update changes only the
/// fields its body names, and an explicit null clears a clearable field (e.g. <c>"category_id": null</c>).
/// </summary>
[JsonConverter(typeof(OptionalJsonConverterFactory))]
public readonly struct Optional<T>
{
    public Optional(T value)
    {
        Value = value;
        IsSpecified = true;
    }

    public bool IsSpecified { get; }
    public T Value { get; }

    public T Or(T current) => IsSpecified ? Value : current;
}

internal sealed class OptionalJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(
            typeof(OptionalJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]), options)!;

    private sealed class OptionalJsonConverter<T>(JsonSerializerOptions options) : JsonConverter<Optional<T>>
    {
        // The value's own converter, not a nested Deserialize call, so a bad value's error keeps the field's JSON path.
        private readonly JsonConverter<T> _value = (JsonConverter<T>)options.GetConverter(typeof(T));

        // Called for JSON null too (Optional is a struct), which is how a present null is told from an absent field.
        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? new(default!) : new(_value.Read(ref reader, typeof(T), options)!);

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);
    }
}
