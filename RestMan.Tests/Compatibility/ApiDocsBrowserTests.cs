using Microsoft.Playwright;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Compatibility;

/// <summary>The interactive docs at <c>/docs</c>, as a developer's browser shows them.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Compatibility")]
public sealed class ApiDocsBrowserTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task Docs_page_shows_the_public_api_with_its_operations()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var gateway = fixture.App.GatewayUrl;
        var failed = new List<string>();
        page.RequestFailed += (_, request) =>
        {
            if (new Uri(request.Url).Authority == gateway.Authority) failed.Add(request.Url);
        };

        var response = await page.GotoAsync(new Uri(gateway, "/docs").ToString());
        response!.Ok.ShouldBeTrue();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "RestMan API" }).First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByText("/auth/verify-otp").First).ToBeAttachedAsync(new() { Timeout = 15_000 });
        failed.ShouldBeEmpty("the gateway did not serve everything the docs page needs");
    }
}
