using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RestMan.Email;

/// <summary>SMTP settings, bound from the "Smtp" configuration section; <see cref="Host"/> switches SMTP on.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>TLS required (implicit on 465, STARTTLS elsewhere): the password never crosses in clear. False only for a local test relay.</summary>
    public bool EnableSsl { get; set; } = true;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "RestMan <no-reply@restman.local>";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Sends through the configured SMTP relay with MailKit.</summary>
internal sealed class SmtpEmailSender(IOptions<SmtpOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    private readonly SmtpOptions _options = options.Value;

    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html };
        foreach (var file in message.Attachments ?? [])
            body.Attachments.Add(file.FileName, file.Content, ContentType.Parse(file.ContentType));
        var mail = new MimeMessage { Subject = message.Subject, Body = body.ToMessageBody() };
        mail.From.Add(MailboxAddress.Parse(_options.From));
        mail.To.Add(MailboxAddress.Parse(message.To));

        // SmtpClient holds one connection and is not safe for concurrent sends: one per message.
        using var client = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        try
        {
            // Not Auto: a relay (or someone in between) that offers no STARTTLS would get the password in clear.
            var security = !_options.EnableSsl ? SecureSocketOptions.None
                : _options.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
            await client.ConnectAsync(_options.Host!, _options.Port, security, ct); // registered only when Host is set
            if (!string.IsNullOrEmpty(_options.Username))
                await client.AuthenticateAsync(_options.Username, _options.Password ?? "", ct);
            await client.SendAsync(mail, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (Exception ex) when (ex is MailKit.Net.Smtp.SmtpCommandException or MailKit.Net.Smtp.SmtpProtocolException
                                       or MailKit.Security.AuthenticationException or System.Net.Sockets.SocketException
                                       or MailKit.Security.SslHandshakeException or NotSupportedException // no STARTTLS or AUTH offered
                                       or IOException or TimeoutException or InvalidOperationException)
        {
            logger.LogError(ex, "SMTP relay {Host}:{Port} refused or failed a message", _options.Host, _options.Port);
            throw new EmailUnavailableException("The mail relay did not accept the message.", ex);
        }
    }
}
