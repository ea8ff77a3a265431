using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace RestMan.Auth.Otp;

/// <summary>
/// Keyed hash of a code: HMAC-SHA256 over a per-code salt, the email and the code. A 6-digit code has only a million
/// values, so an unkeyed hash would fall to a brute force of a leaked row; the key never leaves the service.
/// </summary>
public sealed class OtpHasher
{
    private readonly byte[] _key;

    public OtpHasher(IOptions<AuthOptions> options, IConfiguration configuration)
    {
        _key = options.Value.OtpHashKey is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            // Domain-separated from the identity signing key, so neither key's use can stand in for the other's.
            : HKDF.DeriveKey(HashAlgorithmName.SHA256, IdentityHeaders.KeyFrom(configuration["Identity:SigningKey"]), 32,
                info: "restman-auth-otp-hash"u8.ToArray());
    }

    public string Hash(string salt, string email, string code)
    {
        var payload = Encoding.UTF8.GetBytes($"{salt}\n{email}\n{code}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, payload));
    }

    /// <summary>Constant-time comparison of two hex hashes.</summary>
    public static bool Matches(string expectedHash, string actualHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expectedHash), Encoding.ASCII.GetBytes(actualHash));

    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");

    public static string NewSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
