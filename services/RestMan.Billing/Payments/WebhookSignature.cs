using System.Security.Cryptography;
using System.Text;

namespace RestMan.Billing.Payments;

/// <summary>
/// The provider's webhook signature: <c>X-Payment-Signature: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 of the raw body with
/// the shared secret (<c>Billing:Payments:WebhookSecret</c>).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Payment-Signature";
    private const string Prefix = "sha256=";

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Whether <paramref name="signature"/> is the body's, compared in constant time.</summary>
    public static bool IsValid(string secret, ReadOnlySpan<byte> body, string? signature)
    {
        if (string.IsNullOrEmpty(secret) || signature is null) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, body));
        var given = Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
