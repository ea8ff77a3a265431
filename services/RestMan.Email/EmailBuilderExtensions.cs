using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RestMan.Email;

public static class EmailBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="IEmailSender"/>: SMTP when <c>Smtp:Host</c> is set; otherwise the dev mailbox in Development,
    /// and no mail at all elsewhere. The dev mailbox lives in Redis, so call <c>AddRedis</c> too.
    /// </summary>
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName);
        builder.Services.AddSingleton<DevMailbox>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{SmtpOptions.SectionName}:Host"]))
            builder.Services.AddSingleton<IEmailSender, SmtpEmailSender>();
        else if (builder.Environment.IsDevelopment())
            builder.Services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<DevMailbox>());
        else
            builder.Services.AddSingleton<IEmailSender, UnconfiguredEmailSender>();
        return builder;
    }
}
