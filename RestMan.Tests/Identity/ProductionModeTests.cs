using System.Net;
using System.Net.Http.Json;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Identity;

[Trait("Category", "Identity")]
public sealed class ProductionModeTests
{
    [Fact]
    public async Task Outside_Development_the_dev_mailbox_is_absent_and_codes_without_smtp_are_refused_not_lost()
    {
        await using var app = await TestGraph.StartAsync(o =>
        {
            o.Configuration["RestMan:ServiceEnvironment"] = "Production";
            o.Resources.Add("gateway");
        });
        using var gateway = app.CreateHttpClient("gateway");

        foreach (var path in new[] { "/dev/mailbox?email=someone%40example.com", "/api/dev/mailbox?email=someone%40example.com" })
        {
            using var mailbox = await gateway.GetAsync(path);
            await mailbox.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        // No Smtp:Host and no dev mailbox: saying "sent" would strand the user, so Auth says it cannot send.
        using var request = await gateway.PostAsJsonAsync("/auth/request-otp", new { email = AuthFlow.NewEmail() });
        await request.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "email_unavailable");
    }
}
