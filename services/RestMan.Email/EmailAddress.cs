using System.Net.Mail;

namespace RestMan.Email;

/// <summary>The one place that decides what an acceptable email address is and how it is compared.</summary>
public static class EmailAddress
{
    private const int MaxLength = 254; // RFC 5321 path limit; auth.users.email holds 255

    /// <summary>The trimmed, lower-cased address, or null with the reason it is not acceptable.</summary>
    public static (string? Email, string? Error) Normalize(string? input)
    {
        var email = input?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email)) return (null, "is required.");
        if (email.Length > MaxLength) return (null, $"must be at most {MaxLength} characters.");
        // MailAddress accepts display names and comments; insisting it round-trips to the bare address rejects them.
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || parsed.Host.IndexOf('.') < 1
            || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return (null, "is not a valid email address.");
        return (email, null);
    }
}
