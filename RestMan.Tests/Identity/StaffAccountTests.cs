using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Identity;

/// <summary>
/// Kitchen-staff accounts through Auth's internal staff endpoint, called straight at Auth with a signed service
/// identity (as the Restaurants service will), then used through the gateway like any account.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Identity")]
public sealed class StaffAccountTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task A_bound_kitch_account_signs_in_by_otp_sees_its_restaurant_and_unbinding_ends_its_session()
    {
        var restaurantId = Guid.NewGuid();
        var email = AuthFlow.NewEmail();

        using var created = await AddStaffAsync(email, restaurantId);
        await created.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var staff = await created.Content.ReadFromJsonAsync<JsonElement>();
        var userId = staff.GetProperty("user_id").GetGuid();
        staff.GetProperty("email").GetString().ShouldBe(email);
        staff.GetProperty("restaurant_id").GetGuid().ShouldBe(restaurantId);

        using (var again = await AddStaffAsync(email, restaurantId))
        {
            await again.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user_id").GetGuid().ShouldBe(userId);
        }

        using var gateway = fixture.CreateGatewayClient();
        var login = await AuthFlow.LoginAsync(gateway, email);
        login.UserId.ShouldBe(userId);
        login.Role.ShouldBe("kitch");
        login.ExpiresAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(11));

        using var client = fixture.App.CreateGatewayClient(login);
        var me = await client.GetFromJsonAsync<JsonElement>("/auth/me");
        me.GetProperty("role").GetString().ShouldBe("kitch");
        me.GetProperty("restaurant_id").GetGuid().ShouldBe(restaurantId);
        me.GetProperty("is_active").GetBoolean().ShouldBeTrue();

        var listed = await ListStaffAsync(restaurantId);
        var member = listed.EnumerateArray().ShouldHaveSingleItem();
        member.GetProperty("user_id").GetGuid().ShouldBe(userId);
        member.GetProperty("is_active").GetBoolean().ShouldBeTrue();

        using (var wrongRestaurant = await RemoveStaffAsync(userId, Guid.NewGuid()))
            await wrongRestaurant.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var removed = await RemoveStaffAsync(userId, restaurantId))
            await removed.ShouldHaveStatusAsync(HttpStatusCode.NoContent);

        using (var ended = await client.GetAsync("/auth/me"))
            await ended.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await ListStaffAsync(restaurantId)).GetArrayLength().ShouldBe(0);

        // Unbound, the account cannot sign in until a restaurant binds it again.
        var code = await AuthFlow.RequestCodeAsync(gateway, email);
        using (var refused = await AuthFlow.VerifyOtpAsync(gateway, email, code))
            await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "staff_not_bound");

        var otherRestaurant = Guid.NewGuid();
        using (var rebound = await AddStaffAsync(email, otherRestaurant))
            await rebound.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var back = await AuthFlow.LoginAsync(gateway, email);
        back.UserId.ShouldBe(userId);
        using var backClient = fixture.App.CreateGatewayClient(back);
        (await backClient.GetFromJsonAsync<JsonElement>("/auth/me")).GetProperty("restaurant_id").GetGuid().ShouldBe(otherRestaurant);
    }

    [Fact]
    public async Task Customer_owner_and_other_restaurants_staff_accounts_cannot_be_bound()
    {
        using var gateway = fixture.CreateGatewayClient();
        var customer = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail());
        var owner = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail(), role: "rest");

        using (var asCustomer = await AddStaffAsync(customer.Email, Guid.NewGuid()))
            await asCustomer.ShouldBeProblemAsync(HttpStatusCode.Conflict, "account_not_staff");
        using (var asOwner = await AddStaffAsync(owner.Email, Guid.NewGuid()))
            await asOwner.ShouldBeProblemAsync(HttpStatusCode.Conflict, "account_not_staff");

        var staffEmail = AuthFlow.NewEmail();
        using (var first = await AddStaffAsync(staffEmail, Guid.NewGuid()))
            await first.ShouldHaveStatusAsync(HttpStatusCode.Created);
        using (var poached = await AddStaffAsync(staffEmail, Guid.NewGuid()))
            await poached.ShouldBeProblemAsync(HttpStatusCode.Conflict, "staff_of_another_restaurant");

        using (var invalid = await AddStaffAsync("nope", Guid.Empty))
        {
            var problem = await invalid.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            problem.GetProperty("errors").TryGetProperty("email", out _).ShouldBeTrue();
            problem.GetProperty("errors").TryGetProperty("restaurant_id", out _).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task The_staff_endpoint_is_internal_only()
    {
        using var gateway = fixture.CreateGatewayClient();
        using (var throughGateway = await gateway.PostAsJsonAsync("/internal/staff", new { email = AuthFlow.NewEmail(), restaurant_id = Guid.NewGuid() }))
            await throughGateway.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        using var auth = fixture.App.CreateHttpClient("auth");
        using (var anonymous = await auth.PostAsJsonAsync("/internal/staff", new { email = AuthFlow.NewEmail(), restaurant_id = Guid.NewGuid() }))
            await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        // A signed-in customer's identity, correctly signed, is still not a service's.
        var customer = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail());
        using var asCustomer = new HttpRequestMessage(HttpMethod.Post, "/internal/staff")
        {
            Content = JsonContent.Create(new { email = AuthFlow.NewEmail(), restaurant_id = Guid.NewGuid() }),
        };
        var key = IdentityHeaders.KeyFrom(fixture.App.IdentitySigningKey);
        foreach (var (name, value) in IdentityHeaders.Sign(new ForwardedIdentity(customer.UserId, "user", null, DateTimeOffset.UtcNow.AddHours(1)),
                     "POST", "/internal/staff", key, DateTimeOffset.UtcNow))
            asCustomer.Headers.TryAddWithoutValidation(name, value);
        using var forbidden = await auth.SendAsync(asCustomer);
        await forbidden.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    private async Task<HttpResponseMessage> AddStaffAsync(string email, Guid restaurantId)
    {
        using var auth = fixture.App.CreateHttpClient("auth");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/staff")
        {
            Content = JsonContent.Create(new { email, restaurant_id = restaurantId }),
        }.SignedAsService(fixture.App);
        var response = await auth.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<HttpResponseMessage> RemoveStaffAsync(Guid userId, Guid restaurantId)
    {
        using var auth = fixture.App.CreateHttpClient("auth");
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/internal/staff/{userId}?restaurant_id={restaurantId}")
            .SignedAsService(fixture.App);
        var response = await auth.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<JsonElement> ListStaffAsync(Guid restaurantId)
    {
        using var auth = fixture.App.CreateHttpClient("auth");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/internal/staff?restaurant_id={restaurantId}")
            .SignedAsService(fixture.App);
        using var response = await auth.SendAsync(request);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
