using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Identity;

/// <summary>
/// The graph as a deployment runs it: Production, mail through an SMTP relay named by the deployment's parameters.
/// Sign-in works by email; nothing Development-only is reachable; anonymous health through the gateway is a bare status.
/// </summary>
[Trait("Category", "Identity")]
public sealed partial class ProductionModeTests
{
    [Fact]
    public async Task A_Production_graph_signs_in_by_email_with_no_dev_mailbox_and_no_health_detail_through_the_gateway()
    {
        using var relay = new SmtpRelay();
        await using var app = await TestGraph.StartAsync(o =>
        {
            o.Configuration["RestMan:ServiceEnvironment"] = "Production";
            // What `azd up` asks for, pointed at the test relay; loopback plain SMTP, so no TLS for this one relay.
            o.Configuration["Parameters:smtp-host"] = "127.0.0.1";
            o.Configuration["Parameters:smtp-port"] = relay.Port.ToString(CultureInfo.InvariantCulture);
            o.Configuration["Parameters:smtp-username"] = "restman-mailer";
            o.Configuration["Parameters:smtp-password"] = "relay-secret";
            o.Configuration["Parameters:smtp-from"] = "RestMan <no-reply@restman.test>";
            o.Configuration["Services:auth:Environment:Smtp__EnableSsl"] = "false";
            o.Configuration["Services:orders:Environment:Smtp__EnableSsl"] = "false";
            o.Resources.Add("gateway");
        });
        using var gateway = app.CreateHttpClient("gateway");

        // Sign-in by email: the code arrives at the relay, sent as the deployment's SMTP user.
        var email = AuthFlow.NewEmail();
        using (var request = await AuthFlow.RequestOtpAsync(gateway, email, "rest"))
            await request.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        var mail = await relay.WaitForMessageAsync(email, TimeSpan.FromSeconds(15));
        (mail.Username, mail.Password).ShouldBe(("restman-mailer", "relay-secret"));
        mail.Data.ShouldContain("no-reply@restman.test");
        var code = SixDigits().Match(mail.Body);
        code.Success.ShouldBeTrue(mail.Data);
        using (var verify = await AuthFlow.VerifyOtpAsync(gateway, email, code.Value))
        {
            await verify.ShouldHaveStatusAsync(HttpStatusCode.OK);
            var login = (await verify.Content.ReadFromJsonAsync<LoginResult>(Json.Options))!;
            using var me = await app.CreateGatewayClient(login).GetAsync("/auth/me");
            await me.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await me.Content.ReadAsStringAsync()).ShouldContain(email);
        }

        // The dev mailbox is not even routed: the gateway itself answers 404.
        foreach (var path in new[] { "/dev/mailbox?email=someone%40example.com", "/api/dev/mailbox?email=someone%40example.com" })
        {
            using var mailbox = await gateway.GetAsync(path);
            await mailbox.ShouldBeProblemAsync(HttpStatusCode.NotFound);
            string.Join(",", mailbox.Headers.GetValues("X-Served-By")).ShouldContain("gateway", Case.Insensitive);
        }

        // Anonymous health through the gateway: the status and nothing else, for the gateway and for each service.
        foreach (var path in new[] { "/health", "/api/health", "/api/auth/health", "/api/orders/health", "/api/analytics/health" })
        {
            using var health = await gateway.GetAsync(path);
            var body = await health.Content.ReadAsStringAsync();
            health.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path}: {body}");
            using var report = JsonDocument.Parse(body);
            report.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["status"], $"{path}: {body}");
            report.RootElement.GetProperty("status").GetString().ShouldBe("Healthy", path);
        }

        // The detail stays on the service's own port, for the orchestrator and operators.
        using var auth = app.CreateHttpClient("auth");
        using var detailed = await auth.GetAsync("/health");
        using var detail = JsonDocument.Parse(await detailed.Content.ReadAsStringAsync());
        detail.RootElement.GetProperty("checks").EnumerateObject().Select(c => c.Name).ShouldContain("PostgreSql");
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
