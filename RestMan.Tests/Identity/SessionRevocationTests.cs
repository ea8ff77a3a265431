using System.Diagnostics;
using System.Net;
using RestMan.Identity;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Restaurants;
using StackExchange.Redis;

namespace RestMan.Tests.Identity;

/// <summary>
/// The gateway keeps resolved sessions in memory for <see cref="SessionCache.Lifetime"/>; a revocation made anywhere
/// (Auth on another machine, another gateway's sign-out, the scheduler's deactivation) must end the token at once.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Identity")]
public sealed class SessionRevocationTests(ApplicationFixture fixture)
{
    // Far below the memory's lifetime: a token still honoured after this was kept by the memory, not by Redis.
    private static readonly TimeSpan Moment = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_token_revoked_by_another_process_stops_working_at_the_gateway_a_moment_later()
    {
        SessionCache.Lifetime.ShouldBeGreaterThan(Moment * 3);
        using var customer = await OrderingFlow.SignInAsync(fixture);
        await ShouldBeSignedInAsync(customer); // now in the gateway's memory
        await ShouldBeSignedInAsync(customer);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.App.GetConnectionString("redis"));
        await new SessionStore(redis, TimeProvider.System).RevokeAsync(customer.Login.Token);

        (await SecondsUntilRefusedAsync(customer)).ShouldBeLessThan(Moment.TotalSeconds);
    }

    [Fact]
    public async Task Ending_every_session_of_a_user_ends_each_of_their_tokens_at_the_gateway()
    {
        var email = AuthFlow.NewEmail();
        using var gateway = fixture.CreateGatewayClient();
        var phone = await AuthFlow.LoginAsync(gateway, email);
        var laptop = await AuthFlow.LoginAsync(gateway, email);
        using var onPhone = new Person(phone, fixture.App.CreateGatewayClient(phone));
        using var onLaptop = new Person(laptop, fixture.App.CreateGatewayClient(laptop));
        using var someoneElse = await OrderingFlow.SignInAsync(fixture);
        foreach (var person in new[] { onPhone, onLaptop, someoneElse }) await ShouldBeSignedInAsync(person);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.App.GetConnectionString("redis"));
        (await new SessionStore(redis, TimeProvider.System).RevokeAllAsync(phone.UserId)).ShouldBe(2);

        (await SecondsUntilRefusedAsync(onPhone)).ShouldBeLessThan(Moment.TotalSeconds);
        (await SecondsUntilRefusedAsync(onLaptop)).ShouldBeLessThan(Moment.TotalSeconds);
        await ShouldBeSignedInAsync(someoneElse);
    }

    [Fact]
    public async Task A_signed_out_token_is_refused_on_the_very_next_request_even_on_a_cached_public_menu()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync();
        using var customer = await OrderingFlow.SignInAsync(fixture);
        await ShouldBeSignedInAsync(customer);
        (await customer.Client.GetAsync($"/restaurants/{restaurantId}/menu")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using (var logout = await customer.Client.PostAsync("/auth/logout", null))
            await logout.ShouldHaveStatusAsync(HttpStatusCode.NoContent);

        using (var me = await customer.Client.GetAsync("/auth/me"))
            await me.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        using var menu = await customer.Client.GetAsync($"/restaurants/{restaurantId}/menu");
        await menu.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    private static async Task ShouldBeSignedInAsync(Person person)
    {
        using var me = await person.Client.GetAsync("/auth/me");
        await me.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    /// <summary>Asks until the gateway answers 401; fails if it still honours the token after three moments.</summary>
    private static async Task<double> SecondsUntilRefusedAsync(Person person)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Moment * 3)
        {
            using var me = await person.Client.GetAsync("/auth/me");
            if (me.StatusCode == HttpStatusCode.Unauthorized) return clock.Elapsed.TotalSeconds;
            me.StatusCode.ShouldBe(HttpStatusCode.OK);
            await Task.Delay(50);
        }
        throw new ShouldAssertException($"the revoked token of {person.Email} still worked {clock.Elapsed.TotalSeconds:F1} s later");
    }
}
