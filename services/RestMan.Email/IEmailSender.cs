namespace RestMan.Email;

/// <summary>
/// An email: <paramref name="Text"/> always (the plain-text part), <paramref name="Html"/> as its alternative when given,
/// and files attached (a receipt's PDF).
/// </summary>
public sealed record EmailMessage(string To, string Subject, string Text, string? Html = null, IReadOnlyList<EmailAttachment>? Attachments = null);

/// <summary>A file sent with an email.</summary>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>Delivers an email (plain text, optionally HTML and attachments); throws <see cref="EmailUnavailableException"/> when it cannot.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken ct);
}

/// <summary>The mail could not be handed to any transport; the caller answers 503, never pretending it was sent.</summary>
public sealed class EmailUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
