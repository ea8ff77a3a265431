extern alias WebApp;

using System.Net;
using System.Text;
using WebApp::RestMan.Web.Gateway;

namespace RestMan.UnitTests.Web;

/// <summary>What a person reads on a page when the API says no.</summary>
[Trait("Category", "Unit")]
public sealed class ApiErrorTests
{
    [Fact]
    public async Task A_400_names_each_field_in_words()
    {
        var error = await ReadAsync(HttpStatusCode.BadRequest,
            """{"status":400,"detail":"One or more fields are invalid.","errors":{"price":["must be between 0.01 and 100000."],"name":["is required."]}}""");
        error.Message.ShouldBe("Please check: Price must be between 0.01 and 100000.; Name is required.");
        error.Fields.Keys.ShouldBe(["price", "name"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_409_says_the_change_is_not_possible_and_why()
    {
        var error = await ReadAsync(HttpStatusCode.Conflict, """{"status":409,"code":"illegal_transition","detail":"A ticket that is NEW cannot become READY."}""");
        error.Message.ShouldStartWith("That change is not possible now: A ticket that is NEW cannot become READY.");
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.BadGateway)]
    public async Task A_service_that_is_away_is_a_try_again_not_a_crash(HttpStatusCode status)
    {
        var error = await ReadAsync(status, "<html>upstream gone</html>");
        error.Message.ShouldBe(ApiError.Unreachable.Message);
    }

    [Fact]
    public async Task A_429_tells_how_long_to_wait()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("{}", Encoding.UTF8, "application/problem+json") };
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(30));
        (await ApiError.FromResponseAsync(response, default)).Message.ShouldContain("Try again in 30 seconds.");
    }

    private static async Task<ApiError> ReadAsync(HttpStatusCode status, string body)
    {
        using var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/problem+json") };
        return await ApiError.FromResponseAsync(response, default);
    }
}
