using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RestMan.Email;

/// <summary>SMTP settings, bound from the "Smtp" configuration section; <see cref="Host"/> switches SMTP on.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public bool EnableSsl { get; set; } = true;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "RestMan <no-reply@restman.local>";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Sends through the configured SMTP relay with System.Net.Mail.</summary>
internal sealed class SmtpEmailSender(IOptions<SmtpOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    private readonly SmtpOptions _options = options.Value;

    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        // SmtpClient is not safe for concurrent sends: one per message.
        using var client = new SmtpClient(_options.Host, _options.Port)
        {
            EnableSsl = _options.EnableSsl,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = (int)_options.Timeout.TotalMilliseconds,
        };
        if (!string.IsNullOrEmpty(_options.Username))
            client.Credentials = new NetworkCredential(_options.Username, _options.Password);

        using var mail = new MailMessage(new MailAddress(_options.From), new MailAddress(message.To))
        {
            Subject = message.Subject,
            Body = message.Text,
            IsBodyHtml = false,
        };
        try
        {
            await client.SendMailAsync(mail, ct);
        }
        catch (Exception ex) when (ex is SmtpException or InvalidOperationException or IOException)
        {
            logger.LogError(ex, "SMTP relay {Host}:{Port} refused or failed a message", _options.Host, _options.Port);
            throw new EmailUnavailableException("The mail relay did not accept the message.", ex);
        }
    }
}
