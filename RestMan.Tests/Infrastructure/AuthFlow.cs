using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;

namespace RestMan.Tests.Infrastructure;

/// <summary>What verify-otp hands back: the bearer token and who it belongs to.</summary>
public sealed record LoginResult(string Token, Guid UserId, string Email, string Role, DateTimeOffset ExpiresAt);

/// <summary>One message of the Development mailbox (<c>GET /dev/mailbox</c>).</summary>
public sealed record MailboxMessage(
    string To, string Subject, string Text, DateTimeOffset SentAt, string? Html = null, IReadOnlyList<MailboxAttachment>? Attachments = null);

/// <summary>A file attached to a dev mailbox message (its name, type and size; not the bytes).</summary>
public sealed record MailboxAttachment(string FileName, string ContentType, int Size);

/// <summary>
/// Signing in as a customer, owner or (once bound) kitchen staff the way a client does, through the gateway:
/// request a code, read it from the dev mailbox, verify it.
/// </summary>
public static partial class AuthFlow
{
    /// <summary>A fresh address per test, so tests never share an account or a rate-limit budget.</summary>
    public static string NewEmail() => $"{Guid.NewGuid():N}@example.com";

    public static async Task<LoginResult> LoginAsync(HttpClient gateway, string email, string? role = null)
    {
        var code = await RequestCodeAsync(gateway, email, role);
        using var response = await VerifyOtpAsync(gateway, email, code);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<LoginResult>(Json.Options))!;
    }

    /// <summary>Requests a code and returns it as mailed.</summary>
    public static async Task<string> RequestCodeAsync(HttpClient gateway, string email, string? role = null)
    {
        using var response = await RequestOtpAsync(gateway, email, role);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        return await ReadCodeAsync(gateway, email);
    }

    public static Task<HttpResponseMessage> RequestOtpAsync(HttpClient gateway, string email, string? role = null) =>
        gateway.PostAsJsonAsync("/auth/request-otp", role is null ? new { email } : (object)new { email, role });

    public static Task<HttpResponseMessage> VerifyOtpAsync(HttpClient gateway, string email, string code) =>
        gateway.PostAsJsonAsync("/auth/verify-otp", new { email, code });

    public static async Task<IReadOnlyList<MailboxMessage>> ReadMailboxAsync(HttpClient gateway, string email)
    {
        using var response = await gateway.GetAsync($"/dev/mailbox?email={Uri.EscapeDataString(email)}");
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<List<MailboxMessage>>(Json.Options))!;
    }

    /// <summary>The code in the newest message to <paramref name="email"/> (Auth mails it before answering 202).</summary>
    public static async Task<string> ReadCodeAsync(HttpClient gateway, string email)
    {
        var messages = await ReadMailboxAsync(gateway, email);
        messages.ShouldNotBeEmpty($"no mail for {email}");
        var code = SixDigits().Match(messages[0].Text);
        code.Success.ShouldBeTrue($"no code in: {messages[0].Text}");
        return code.Value;
    }

    /// <summary>Sends the token on every request of this client.</summary>
    public static HttpClient WithBearer(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static HttpClient WithBearer(this HttpClient client, LoginResult login) => client.WithBearer(login.Token);

    public static HttpRequestMessage WithBearer(this HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>A gateway client already signed in as <paramref name="login"/>.</summary>
    public static HttpClient CreateGatewayClient(this TestGraph app, LoginResult login) =>
        app.CreateHttpClient("gateway").WithBearer(login.Token);

    /// <summary>Signs the request as another RestMan service would (role <c>service</c>), for calling internal endpoints directly.</summary>
    public static HttpRequestMessage SignedAsService(this HttpRequestMessage request, TestGraph app) =>
        request.SignedAs(app, new ForwardedIdentity(Guid.NewGuid(), Roles.Service, null, null));

    /// <summary>Signs the request with the AppHost's key for <paramref name="identity"/>, over its own path and query.</summary>
    public static HttpRequestMessage SignedAs(this HttpRequestMessage request, TestGraph app, ForwardedIdentity identity)
    {
        var uri = request.RequestUri!.IsAbsoluteUri ? request.RequestUri : new Uri(new Uri("http://service"), request.RequestUri);
        var key = IdentityHeaders.KeyFrom(app.IdentitySigningKey);
        foreach (var (name, value) in IdentityHeaders.Sign(identity, request.Method.Method, Uri.UnescapeDataString(uri.AbsolutePath) + uri.Query, key, DateTimeOffset.UtcNow))
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    /// <summary>Fails with the response body in the message, which is what one needs to see when a status is wrong.</summary>
    public static async Task ShouldHaveStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {body}");
        }
    }

    /// <summary>Asserts a problem+json answer with the status and, when given, the stable <c>code</c>; returns its body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        await response.ShouldHaveStatusAsync(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (code is not null) problem.GetProperty("code").GetString().ShouldBe(code);
        return problem;
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
