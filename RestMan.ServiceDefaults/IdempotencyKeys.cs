using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one rule for an <c>Idempotency-Key</c> header in every service: its shape, the 400 for a bad one, the request
/// fingerprint it is stored with, and the 422 when it comes back with a different request.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 255;

    /// <summary>1 to <see cref="MaxLength"/> visible ASCII characters.</summary>
    public static bool IsValid(string key) => key.Length is > 0 and <= MaxLength && key.All(c => c is > ' ' and <= '~');

    /// <summary>Adds the header's 400 to <paramref name="rules"/> when a key was sent and is not valid.</summary>
    public static void Check(string? key, InputRules rules)
    {
        if (key is not null && !IsValid(key)) rules.Add(Header, $"must be 1 to {MaxLength} visible ASCII characters.");
    }

    /// <summary>422: the key came before with another request (<paramref name="what"/>: "order", "booking", "payment").</summary>
    public static ProblemHttpResult Reused(string what) => Problems.Problem(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused",
        $"This Idempotency-Key was already used for a different {what}; send a new key for a new {what}.");

    /// <summary>What makes two requests "the same" for a key: the hash of their normalized fields, in a fixed order.</summary>
    public static string Fingerprint(params object?[] fields) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(fields))));
}
