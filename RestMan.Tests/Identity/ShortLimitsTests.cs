using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Npgsql;
using RestMan.Tests.Infrastructure;
using StackExchange.Redis;

namespace RestMan.Tests.Identity;

/// <summary>
/// The whole graph with Auth's limits shrunk by configuration: codes live 3 s, customer sessions 4 s, one client
/// address may ask for 20 codes a minute, and the 2-hour rule is a 4-second rule checked every second by two
/// scheduler instances at once.
/// </summary>
public sealed class ShortLimitsFixture : IAsyncLifetime
{
    public static readonly TimeSpan OtpLifetime = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan UserSessionLifetime = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan InactiveAfter = TimeSpan.FromSeconds(4);
    public const int CodesPerClientPerMinute = 20;

    public TestGraph App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestGraph.StartAsync(o =>
        {
            o.Configuration["Services:auth:Environment:Auth__OtpLifetime"] = OtpLifetime.ToString();
            o.Configuration["Services:auth:Environment:Auth__UserSessionLifetime"] = UserSessionLifetime.ToString();
            o.Configuration["Services:auth:Environment:Auth__RateLimits__PerClient__Limit"] = CodesPerClientPerMinute.ToString();
            foreach (var scheduler in new[] { "scheduler", "scheduler-2" })
            {
                o.Configuration[$"Services:{scheduler}:Environment:Scheduler__Interval"] = "00:00:01";
                o.Configuration[$"Services:{scheduler}:Environment:Scheduler__InactiveAfter"] = InactiveAfter.ToString();
            }
            o.ConfigureBuilder = builder =>
            {
                var cockroach = builder.CreateResourceBuilder(builder.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == "cockroach"));
                var auth = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "auth"));
                // A second instance: the sweep must still run once per slot and announce each deactivation once.
                builder.AddService<Projects.RestMan_Scheduler>("scheduler-2")
                    .WithReference(cockroach).WithReference(auth)
                    .WaitFor(cockroach).WaitFor(auth);
            };
        });
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

[Trait("Category", "Identity")]
public sealed class ShortLimitsTests(ShortLimitsFixture fixture) : IClassFixture<ShortLimitsFixture>
{
    private TestGraph App => fixture.App;

    [Fact]
    public async Task A_code_older_than_its_lifetime_fails()
    {
        using var gateway = App.CreateHttpClient("gateway");
        var email = AuthFlow.NewEmail();
        var code = await AuthFlow.RequestCodeAsync(gateway, email);
        (await AuthFlow.ReadMailboxAsync(gateway, email))[0].Text.ShouldContain("3 seconds");

        await Task.Delay(ShortLimitsFixture.OtpLifetime + TimeSpan.FromSeconds(1));

        using var expired = await AuthFlow.VerifyOtpAsync(gateway, email, code);
        await expired.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_otp");
        (await AuthFlow.LoginAsync(gateway, email)).Role.ShouldBe("user"); // a fresh code still works
    }

    [Fact]
    public async Task An_idle_customer_loses_its_session_and_is_deactivated_once_an_owner_is_not_and_signing_in_again_reactivates()
    {
        using var gateway = App.CreateHttpClient("gateway");
        var owner = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail(), role: "rest");
        var customer = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail());
        customer.ExpiresAt.ShouldBeLessThan(DateTimeOffset.UtcNow + ShortLimitsFixture.UserSessionLifetime + TimeSpan.FromSeconds(1));

        // A session that outlives the rule (as one issued under a longer configured lifetime would): the sweep must end it.
        var lingering = await PlantSessionAsync(customer, TimeSpan.FromMinutes(10));
        using var lingeringClient = App.CreateHttpClient("gateway").WithBearer(lingering);
        using (var before = await lingeringClient.GetAsync("/auth/me"))
            await before.ShouldHaveStatusAsync(HttpStatusCode.OK);

        using var customerClient = App.CreateGatewayClient(customer);
        await EventuallyAsync(async () =>
        {
            using var me = await customerClient.GetAsync("/auth/me");
            return me.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(15), "the customer's own session to expire");

        await using var database = NpgsqlDataSource.Create(App.GetConnectionString("cockroach"));
        await EventuallyAsync(async () => !await IsActiveAsync(database, customer.UserId), TimeSpan.FromSeconds(20),
            "the scheduler to deactivate the idle customer");

        using (var after = await lingeringClient.GetAsync("/auth/me"))
            await after.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        using (var redis = await ConnectionMultiplexer.ConnectAsync(App.GetConnectionString("redis")))
            (await redis.GetDatabase().KeyExistsAsync($"user_sessions:{customer.UserId}")).ShouldBeFalse();

        // Two schedulers sweep every second; the account was switched off, and announced, exactly once.
        var deactivated = await TopicReader.ReadAsync(App.GetConnectionString("kafka"), "user.events",
            e => e.EventType == "user.deactivated" && e.IsAbout("user_id", customer.UserId), expected: 1,
            TimeSpan.FromSeconds(30), settle: TimeSpan.FromSeconds(3));
        deactivated.ShouldHaveSingleItem().Key.ShouldBe(customer.UserId.ToString());
        var data = deactivated[0].Data;
        data.GetProperty("email").GetString().ShouldBe(customer.Email);

        // The owner signed in before the customer and is past the rule's age, yet stays active and signed in.
        (await IsActiveAsync(database, owner.UserId)).ShouldBeTrue();
        using var ownerClient = App.CreateGatewayClient(owner);
        (await ownerClient.GetFromJsonAsync<JsonElement>("/auth/me")).GetProperty("is_active").GetBoolean().ShouldBeTrue();

        var back = await AuthFlow.LoginAsync(gateway, customer.Email);
        back.UserId.ShouldBe(customer.UserId);
        using var backClient = App.CreateGatewayClient(back);
        (await backClient.GetFromJsonAsync<JsonElement>("/auth/me")).GetProperty("is_active").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Request_otp_beyond_the_per_client_address_limit_answers_429_with_retry_after()
    {
        // Straight at Auth with an X-Forwarded-For of this test's own, as the gateway would forward a distinct client:
        // through the gateway every test shares 127.0.0.1.
        using var auth = App.CreateHttpClient("auth");
        const string client = "198.51.100.7";

        async Task<HttpResponseMessage> RequestAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/request-otp")
            {
                Content = JsonContent.Create(new { email = AuthFlow.NewEmail() }),
            };
            request.Headers.Add("X-Forwarded-For", $"{client}, 10.0.0.1");
            var response = await auth.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return response;
        }

        for (var i = 0; i < ShortLimitsFixture.CodesPerClientPerMinute; i++)
        {
            using var allowed = await RequestAsync();
            await allowed.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        }
        using var limited = await RequestAsync();
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        int.Parse(limited.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 60);

        // Other addresses keep their own budget.
        using var gateway = App.CreateHttpClient("gateway");
        using var other = await AuthFlow.RequestOtpAsync(gateway, AuthFlow.NewEmail());
        await other.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
    }

    private static async Task<bool> IsActiveAsync(NpgsqlDataSource database, Guid userId)
    {
        await using var command = database.CreateCommand("SELECT is_active FROM auth.users WHERE id = @id");
        command.Parameters.AddWithValue("id", userId);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Writes a session for <paramref name="login"/>'s account the way the session store does; returns its token.</summary>
    private async Task<string> PlantSessionAsync(LoginResult login, TimeSpan lifetime)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var session = new { user_id = login.UserId, email = login.Email, role = login.Role, restaurant_id = (Guid?)null, expires_at = DateTimeOffset.UtcNow + lifetime };
        using var redis = await ConnectionMultiplexer.ConnectAsync(App.GetConnectionString("redis"));
        var db = redis.GetDatabase();
        await db.StringSetAsync($"session:{hash}", JsonSerializer.Serialize(session, Json.Options), lifetime);
        await db.SetAddAsync($"user_sessions:{login.UserId}", hash);
        await db.KeyExpireAsync($"user_sessions:{login.UserId}", lifetime);
        return token;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            await Task.Delay(200);
        }
    }
}
