using MimeKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RestMan.Email;

public static class EmailBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="IEmailSender"/>: SMTP when <c>Smtp:Host</c> is set; otherwise the dev mailbox in Development.
    /// Outside Development a relay is required: the service refuses to start without one, naming the missing setting.
    /// The dev mailbox lives in Redis, so call <c>AddRedis</c> too.
    /// </summary>
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        var devMailbox = builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(builder.Configuration[$"{SmtpOptions.SectionName}:Host"]);
        // Each message names the AppHost parameter a deployment sets, so whoever reads the log knows what to supply.
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName)
            .Validate(o => devMailbox || !string.IsNullOrWhiteSpace(o.Host),
                "Smtp:Host is not set: outside Development mail goes through an SMTP relay (deployment parameter smtp-host).")
            .Validate(o => devMailbox || o.Port is > 0 and <= 65535, "Smtp:Port must be a TCP port (deployment parameter smtp-port).")
            .Validate(o => devMailbox || MailboxAddress.TryParse(o.From, out _), "Smtp:From is not an email address (deployment parameter smtp-from).")
            .Validate(o => devMailbox || string.IsNullOrEmpty(o.Username) || !string.IsNullOrEmpty(o.Password),
                "Smtp:Password is not set while Smtp:Username is (deployment parameter smtp-password).")
            .ValidateOnStart();
        builder.Services.AddSingleton<DevMailbox>();
        if (devMailbox)
            builder.Services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<DevMailbox>());
        else
            builder.Services.AddSingleton<IEmailSender, SmtpEmailSender>();
        return builder;
    }
}
