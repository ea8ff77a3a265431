namespace RestMan.Email;

public sealed record EmailMessage(string To, string Subject, string Text);

/// <summary>Delivers a plain-text email; throws <see cref="EmailUnavailableException"/> when it cannot.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken ct);
}

/// <summary>The mail could not be handed to any transport; the caller answers 503, never pretending it was sent.</summary>
public sealed class EmailUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
