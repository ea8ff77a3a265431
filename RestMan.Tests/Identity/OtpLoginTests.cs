using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Identity;

/// <summary>OTP sign-in through the gateway, as a client sees it.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Identity")]
public sealed class OtpLoginTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task A_new_email_signs_in_with_the_mailed_code_is_an_active_user_and_logout_ends_the_token()
    {
        using var gateway = fixture.CreateGatewayClient();
        var email = AuthFlow.NewEmail();

        using (var request = await AuthFlow.RequestOtpAsync(gateway, email))
        {
            await request.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
            var body = await request.Content.ReadFromJsonAsync<JsonElement>();
            body.GetProperty("expires_in_seconds").GetInt32().ShouldBe(300);
        }
        var mail = (await AuthFlow.ReadMailboxAsync(gateway, email)).ShouldHaveSingleItem();
        mail.To.ShouldBe(email);
        mail.Subject.ShouldNotBeNullOrWhiteSpace();
        mail.SentAt.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        var code = await AuthFlow.ReadCodeAsync(gateway, email);
        using var verify = await AuthFlow.VerifyOtpAsync(gateway, email, code);
        await verify.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var login = (await verify.Content.ReadFromJsonAsync<LoginResult>(Json.Options))!;
        login.Token.Length.ShouldBeGreaterThanOrEqualTo(43); // 256 bits, base64url
        login.Email.ShouldBe(email);
        login.Role.ShouldBe("user");
        login.ExpiresAt.ShouldBeInRange(DateTimeOffset.UtcNow.AddHours(2).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(2).AddMinutes(1));

        using var client = fixture.App.CreateGatewayClient(login);
        var me = await client.GetFromJsonAsync<JsonElement>("/auth/me");
        me.GetProperty("user_id").GetGuid().ShouldBe(login.UserId);
        me.GetProperty("email").GetString().ShouldBe(email);
        me.GetProperty("role").GetString().ShouldBe("user");
        me.GetProperty("is_active").GetBoolean().ShouldBeTrue();
        me.GetProperty("restaurant_id").ValueKind.ShouldBe(JsonValueKind.Null);
        me.GetProperty("session_expires_at").GetDateTimeOffset().ShouldBe(login.ExpiresAt, TimeSpan.FromSeconds(1));

        var loggedIn = await TopicReader.ReadAsync(fixture.App.GetConnectionString("kafka"), "user.events",
            e => e.EventType == "user.login_success" && e.IsAbout("user_id", login.UserId), expected: 1, TimeSpan.FromSeconds(30), TimeSpan.Zero);
        loggedIn.ShouldHaveSingleItem().Key.ShouldBe(login.UserId.ToString());
        var data = loggedIn[0].Data;
        data.GetProperty("email").GetString().ShouldBe(email);
        data.GetProperty("role").GetString().ShouldBe("user");

        using (var logout = await client.PostAsync("/auth/logout", null))
            await logout.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        using var afterLogout = await client.GetAsync("/auth/me");
        await afterLogout.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_code_works_once_and_signing_in_again_keeps_the_same_account()
    {
        using var gateway = fixture.CreateGatewayClient();
        var email = AuthFlow.NewEmail();
        var code = await AuthFlow.RequestCodeAsync(gateway, email);

        using (var used = await AuthFlow.VerifyOtpAsync(gateway, email, code))
            await used.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var replay = await AuthFlow.VerifyOtpAsync(gateway, email, code))
            await replay.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_otp");

        var first = await AuthFlow.LoginAsync(gateway, email);
        var again = await AuthFlow.LoginAsync(gateway, email.ToUpperInvariant());
        again.Email.ShouldBe(email); // addresses compare case-insensitively
        again.UserId.ShouldBe(first.UserId);
        again.Token.ShouldNotBe(first.Token);
    }

    [Fact]
    public async Task Five_wrong_codes_void_the_code_so_the_right_one_fails_but_a_new_request_works()
    {
        using var gateway = fixture.CreateGatewayClient();
        var email = AuthFlow.NewEmail();
        var code = await AuthFlow.RequestCodeAsync(gateway, email);
        var wrong = code == "000000" ? "111111" : "000000";

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var response = await AuthFlow.VerifyOtpAsync(gateway, email, wrong);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_otp");
            problem.GetProperty("remaining_attempts").GetInt32().ShouldBe(5 - attempt);
        }
        using (var fifth = await AuthFlow.VerifyOtpAsync(gateway, email, wrong))
            await fifth.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "otp_voided");
        using (var right = await AuthFlow.VerifyOtpAsync(gateway, email, code))
            await right.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_otp");

        var login = await AuthFlow.LoginAsync(gateway, email);
        login.Role.ShouldBe("user");
    }

    [Fact]
    public async Task A_new_request_replaces_the_previous_code()
    {
        using var gateway = fixture.CreateGatewayClient();
        var email = AuthFlow.NewEmail();
        var first = await AuthFlow.RequestCodeAsync(gateway, email);
        var second = await AuthFlow.RequestCodeAsync(gateway, email);
        if (first == second) return; // one chance in a million: nothing to tell apart

        using (var old = await AuthFlow.VerifyOtpAsync(gateway, email, first))
            await old.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_otp");
        using var current = await AuthFlow.VerifyOtpAsync(gateway, email, second);
        await current.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Rest_is_granted_to_a_new_email_only_and_an_existing_account_keeps_its_role()
    {
        using var gateway = fixture.CreateGatewayClient();

        var owner = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail(), role: "rest");
        owner.Role.ShouldBe("rest");
        owner.ExpiresAt.ShouldBeInRange(DateTimeOffset.UtcNow.AddHours(12).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12).AddMinutes(1));
        (await AuthFlow.LoginAsync(gateway, owner.Email, role: "user")).Role.ShouldBe("rest");

        var customer = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail());
        var promoted = await AuthFlow.LoginAsync(gateway, customer.Email, role: "rest");
        promoted.Role.ShouldBe("user");
        promoted.UserId.ShouldBe(customer.UserId);
    }

    [Fact]
    public async Task Kitch_cannot_be_chosen_by_self_service()
    {
        using var gateway = fixture.CreateGatewayClient();
        var email = AuthFlow.NewEmail();

        foreach (var role in new[] { "kitch", "KITCH", "admin", "service" })
        {
            using var response = await AuthFlow.RequestOtpAsync(gateway, email, role);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            problem.GetProperty("errors").TryGetProperty("role", out _).ShouldBeTrue();
        }
        (await AuthFlow.ReadMailboxAsync(gateway, email)).ShouldBeEmpty();

        // The same email then signs up as what it may be: a customer, never kitchen staff.
        var login = await AuthFlow.LoginAsync(gateway, email);
        login.Role.ShouldBe("user");
        using var client = fixture.App.CreateGatewayClient(login);
        var me = await client.GetFromJsonAsync<JsonElement>("/auth/me");
        me.GetProperty("role").GetString().ShouldBe("user");
        me.GetProperty("restaurant_id").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Request_otp_answers_alike_whether_or_not_the_account_exists()
    {
        using var gateway = fixture.CreateGatewayClient();
        var existing = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail());

        using var known = await AuthFlow.RequestOtpAsync(gateway, existing.Email);
        using var unknown = await AuthFlow.RequestOtpAsync(gateway, AuthFlow.NewEmail());

        known.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        unknown.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await known.Content.ReadAsStringAsync()).ShouldBe(await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_input_answers_400_naming_the_field()
    {
        using var gateway = fixture.CreateGatewayClient();

        foreach (var email in new[] { "", "not-an-email", "a@b", "Someone <a@example.com>", new string('a', 250) + "@example.com" })
        {
            using var response = await AuthFlow.RequestOtpAsync(gateway, email);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            problem.GetProperty("errors").TryGetProperty("email", out _).ShouldBeTrue(email);
        }

        foreach (var code in new[] { "", "12345", "1234567", "abcdef", "12 456" })
        {
            using var response = await AuthFlow.VerifyOtpAsync(gateway, AuthFlow.NewEmail(), code);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            problem.GetProperty("errors").TryGetProperty("code", out _).ShouldBeTrue(code);
        }

        using var noCode = await AuthFlow.VerifyOtpAsync(gateway, AuthFlow.NewEmail(), "123456");
        await noCode.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_otp");

        using var notJson = await gateway.PostAsync("/auth/request-otp", new StringContent("{\"email\": 42}", System.Text.Encoding.UTF8, "application/json"));
        await notJson.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Me_and_logout_need_a_session()
    {
        using var gateway = fixture.CreateGatewayClient();
        using (var me = await gateway.GetAsync("/auth/me"))
            await me.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        using (var logout = await gateway.PostAsync("/auth/logout", null))
            await logout.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        gateway.WithBearer("not-a-token");
        using var forged = await gateway.GetAsync("/auth/me");
        await forged.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}
