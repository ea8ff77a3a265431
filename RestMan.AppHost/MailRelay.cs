namespace Aspire.Hosting;

/// <summary>
/// The SMTP relay that carries sign-in codes, order-ready mail and emailed receipts. A deployment names it with parameters
/// (<c>smtp-host</c>, <c>smtp-port</c>, <c>smtp-username</c>, secret <c>smtp-password</c>, <c>smtp-from</c>); in run
/// mode the dev mailbox stands in unless <c>Parameters:smtp-host</c> is configured (tests point it at their own relay).
/// </summary>
public static class MailRelay
{
    public static IResourceBuilder<ProjectResource> WithMailRelay(this IResourceBuilder<ProjectResource> project)
    {
        var builder = project.ApplicationBuilder;
        if (builder.ExecutionContext.IsRunMode && string.IsNullOrWhiteSpace(builder.Configuration["Parameters:smtp-host"]))
            return project;
        return project
            .WithEnvironment("Smtp__Host", Parameter(builder, "smtp-host"))
            .WithEnvironment("Smtp__Port", Parameter(builder, "smtp-port"))
            .WithEnvironment("Smtp__Username", Parameter(builder, "smtp-username"))
            .WithEnvironment("Smtp__Password", Parameter(builder, "smtp-password", secret: true))
            .WithEnvironment("Smtp__From", Parameter(builder, "smtp-from"));
    }

    // Several services send mail: they share one set of parameters.
    private static IResourceBuilder<ParameterResource> Parameter(IDistributedApplicationBuilder builder, string name, bool secret = false) =>
        builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == name) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(name, secret);
}
