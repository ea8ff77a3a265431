using System.Net;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Identity;

[Collection(ApplicationCollection.Name)]
[Trait("Category", "Identity")]
public sealed class OtpRateLimitTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task Request_otp_beyond_five_per_email_answers_429_with_retry_after()
    {
        using var gateway = fixture.CreateGatewayClient();
        var email = AuthFlow.NewEmail();

        for (var i = 0; i < 5; i++)
        {
            using var allowed = await AuthFlow.RequestOtpAsync(gateway, email);
            await allowed.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        }
        using var limited = await AuthFlow.RequestOtpAsync(gateway, email);
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single());
        retryAfter.ShouldBeInRange(1, 15 * 60);

        (await AuthFlow.ReadMailboxAsync(gateway, email)).Count.ShouldBe(5);
        // Another address is not held back by this one's budget.
        using var other = await AuthFlow.RequestOtpAsync(gateway, AuthFlow.NewEmail());
        await other.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
    }
}
