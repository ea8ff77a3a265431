using System.Net;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Restaurants;
using static RestMan.Tests.Analytics.AnalyticsFlow;

namespace RestMan.Tests.Analytics;

/// <summary>Who may read which figures, and what a malformed request gets.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Analytics")]
public sealed class AnalyticsAccessTests(ApplicationFixture fixture) : IDisposable
{
    private const string Injection = "' OR 1=1 --";

    private static readonly string[] Endpoints = ["/analytics/top-foods", "/analytics/revenue", "/analytics/orders-by-status"];

    // Words of ClickHouse's own error texts and of our SQL: none may reach a client.
    private static readonly string[] Leaks = ["DB::Exception", "Code:", "ClickHouse", "clickhouse", "SELECT", "FINAL", "1=1"];

    private readonly EventStream _events = new(fixture.App.GetConnectionString("kafka"));

    public void Dispose() => _events.Dispose();

    [Fact]
    public async Task An_owner_sees_only_their_own_restaurants_and_a_customer_is_refused()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        using var other = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var mine = await owner.CreateRestaurantAsync();
        var theirs = await other.CreateRestaurantAsync();
        var tea = await owner.CreateDishAsync(mine, "Tea", 3.00m);
        var coffee = await other.CreateDishAsync(theirs, "Coffee", 4.00m);
        var day = new DateOnly(2025, 6, 1);
        await _events.PublishAsync(Order(mine, "dine_in", At(day, 8), (tea, 1)), "orders");
        await _events.PublishAsync(Order(theirs, "dine_in", At(day, 8), (coffee, 7)), "orders");
        var deadline = DateTime.UtcNow + Lag;

        await owner.Client.ShouldEventuallyBeAsync<TopFood>($"/analytics/top-foods?date={day:yyyy-MM-dd}",
            [new(day, mine, tea.Id, "Tea", null, 1, 3.00m, 1)], deadline);
        await other.Client.ShouldEventuallyBeAsync<TopFood>($"/analytics/top-foods?date={day:yyyy-MM-dd}",
            [new(day, theirs, coffee.Id, "Coffee", null, 7, 28.00m, 1)], deadline);

        foreach (var endpoint in Endpoints)
        {
            using var someoneElses = await owner.Client.GetAsync($"{endpoint}?restaurant_id={theirs}");
            await someoneElses.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
            using var unknown = await owner.Client.GetAsync($"{endpoint}?restaurant_id={Guid.NewGuid()}");
            await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        using var gateway = fixture.CreateGatewayClient();
        var customer = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail());
        using var customerClient = fixture.App.CreateGatewayClient(customer);
        foreach (var endpoint in Endpoints)
        {
            using var refused = await customerClient.GetAsync($"{endpoint}?restaurant_id={mine}");
            await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
            using var anonymous = await gateway.GetAsync(endpoint);
            await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task An_owner_without_restaurants_gets_empty_reports()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);

        foreach (var endpoint in Endpoints)
        {
            (await owner.Client.GetBodyAsync(endpoint)).ShouldBe("[]");
        }
    }

    [Fact]
    public async Task Malformed_parameters_are_a_400_naming_the_parameter_and_never_show_ClickHouse()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurant = await owner.CreateRestaurantAsync();
        (string Url, string Parameter)[] cases =
        [
            ("/analytics/top-foods?date=2025-13-45", "date"),
            ("/analytics/top-foods?date=14/03/2025", "date"),
            ("/analytics/top-foods?date=0001-01-01", "date"),
            ("/analytics/top-foods?period=week", "period"),
            ("/analytics/top-foods?limit=0", "limit"),
            ("/analytics/top-foods?limit=101", "limit"),
            ("/analytics/top-foods?limit=ten", "limit"),
            ($"/analytics/top-foods?restaurant_id={Uri.EscapeDataString(Injection)}", "restaurant_id"),
            ($"/analytics/top-foods?date={Uri.EscapeDataString("2025-03-14' OR 1=1 --")}", "date"),
            ("/analytics/revenue?period=week", "period"),
            ("/analytics/revenue?group_by=food", "group_by"),
            ($"/analytics/revenue?order_type={Uri.EscapeDataString(Injection)}", "order_type"),
            ("/analytics/revenue?from=2025-03-10&to=2025-03-01", "from"),
            ("/analytics/revenue?to=2025-02-30", "to"),
            ($"/analytics/revenue?restaurant_id={Uri.EscapeDataString(Injection)}", "restaurant_id"),
            ("/analytics/orders-by-status?from=20250301", "from"),
            ("/analytics/orders-by-status?to=2999-01-01", "to"),
            ($"/analytics/orders-by-status?restaurant_id={Uri.EscapeDataString(Injection)}", "restaurant_id"),
        ];

        foreach (var (url, parameter) in cases)
        {
            using var response = await owner.Client.GetAsync(url);
            await response.ShouldNameFieldAsync(parameter);
            var body = await response.Content.ReadAsStringAsync();
            foreach (var leak in Leaks)
            {
                body.ShouldNotContain(leak, Case.Sensitive, $"GET {url} answered {body}");
            }
        }

        // Every problem is reported at once, each under its own name.
        using var several = await owner.Client.GetAsync($"/analytics/top-foods?period=week&date=2025-13-45&limit=0&restaurant_id={restaurant}x");
        var problem = await several.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").EnumerateObject().Select(error => error.Name)
            .ShouldBe(["period", "date", "restaurant_id", "limit"], ignoreOrder: true);

        // Well-formed values that only look odd are fine: no 400, and still no 500.
        using var valid = await owner.Client.GetAsync($"/analytics/top-foods?period=YEAR&date=2025-12-31&limit=100&restaurant_id={restaurant}");
        await valid.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }
}
