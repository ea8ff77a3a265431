using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using RestMan.Tests.Floor;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Kitchen;
using RestMan.Tests.Ordering;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Compatibility;

/// <summary>The gateway's <c>/openapi/v1.json</c>: the whole public API, nothing internal, valid OpenAPI 3.x, and true to the endpoints.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Compatibility")]
public sealed partial class OpenApiDocumentTests(ApplicationFixture fixture)
{
    /// <summary>Every public route (README's endpoint table, the first implementation's spellings, the gateway's health).</summary>
    private static readonly string[] PublicRoutes =
    [
        "POST /auth/request-otp", "POST /auth/verify-otp", "GET /auth/me", "POST /auth/logout", "GET /dev/mailbox",
        "POST /restaurants", "GET /restaurants", "GET /restaurants/{}", "PUT /restaurants/{}", "GET /restaurants/{}/menu",
        "POST /restaurants/{}/categories", "PUT /restaurants/{}/categories/{}", "DELETE /restaurants/{}/categories/{}",
        "GET /restaurants/{}/foods", "POST /restaurants/{}/foods", "PUT /restaurants/{}/foods/{}", "DELETE /restaurants/{}/foods/{}",
        "POST /restaurants/{}/staff", "GET /restaurants/{}/staff", "DELETE /restaurants/{}/staff/{}",
        "POST /orders", "GET /orders", "GET /orders/{}", "GET /orders/{}/timeline", "PATCH /orders/{}/status",
        "POST /orders/dine-in", "POST /orders/{}/rounds", "DELETE /orders/{}/items/{}", "POST /orders/{}/move", "POST /orders/{}/merge",
        "POST /tables", "GET /tables", "GET /tables/{}", "PUT /tables/{}", "DELETE /tables/{}", "PATCH /tables/{}/status",
        "GET /kitchen/tickets", "GET /kitchen/tickets/{}", "PATCH /kitchen/tickets/{}/status", "PATCH /kitchen/tickets/{}/items/{}/status",
        "GET /kitchen/stations", "POST /kitchen/stations", "PUT /kitchen/stations/{}", "DELETE /kitchen/stations/{}",
        "PATCH /kitchen/tickets/{}/priority", "GET /kitchen/prep-times", "GET /kitchen/settings", "PUT /kitchen/settings", "POST /kitchen/delays/sweep",
        "POST /billing/bills/{}/refunds", "GET /billing/bills/{}/refunds", "GET /billing/bills/{}/receipt",
        "POST /billing/bills/{}/receipt/email",
        "GET /billing/orders/{}", "POST /billing/orders/{}/finalize", "PATCH /billing/bills/{}/payment",
        "GET /inventory/items", "POST /inventory/items", "PUT /inventory/items/{}", "POST /inventory/items/{}/counts",
        "POST /inventory/items/{}/adjustments", "GET /inventory/items/{}/movements", "GET /inventory/recipes/{}", "PUT /inventory/recipes/{}",
        "GET /inventory/suppliers", "POST /inventory/suppliers", "GET /inventory/purchase-orders", "POST /inventory/purchase-orders",
        "POST /inventory/purchase-orders/{}/send", "POST /inventory/purchase-orders/{}/receipts", "GET /inventory/reports/usage",
        "GET /analytics/top-foods", "GET /analytics/revenue", "GET /analytics/orders-by-status", "GET /analytics/floor", "GET /analytics/kitchen-delays", "GET /analytics/top-modifiers",
        "GET /reservations/availability", "POST /reservations", "GET /reservations", "GET /reservations/mine", "GET /reservations/{}",
        "POST /reservations/{}/seat", "POST /reservations/{}/cancel", "POST /reservations/{}/no-show",
        "GET /restaurants/my", "POST /categories", "POST /foods", "GET /billing/bills/order/{}", "GET /billing/users/{}",
        "GET /billing/restaurants/{}", "GET /analytics/restaurants/{}/top-foods",
        "GET /health", "GET /api/health", "GET /api/auth/health", "GET /api/restaurants/health", "GET /api/orders/health",
        "GET /api/kitchen/health", "GET /api/billing/health", "GET /api/analytics/health", "GET /api/inventory/health",
    ];

    [Fact]
    public async Task The_document_is_valid_OpenAPI_3_with_every_public_route_and_nothing_internal()
    {
        using var gateway = fixture.CreateGatewayClient();
        var json = await PublicApiDocument.GetCompleteAsync(gateway);

        var (parsed, diagnostic) = OpenApiDocument.Parse(json, "json");
        var document = parsed ?? throw new InvalidOperationException("the document did not parse");
        diagnostic!.Errors.ShouldBeEmpty(string.Join("; ", diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        diagnostic.SpecificationVersion.ToString().ShouldStartWith("OpenApi3_");
        var problems = document.Validate(ValidationRuleSet.GetDefaultRuleSet())!.ToList();
        problems.ShouldBeEmpty(string.Join("; ", problems.Select(e => $"{e.Pointer}: {e.Message}")));

        var documented = document.Paths.SelectMany(p => p.Value.Operations!.Keys.Select(m => $"{m.Method.ToUpperInvariant()} {Normalize(p.Key)}")).ToList();
        documented.ShouldNotContain(r => r.Contains("/internal", StringComparison.OrdinalIgnoreCase));
        PublicRoutes.Except(documented).ShouldBeEmpty("public routes missing from /openapi/v1.json");

        // Sessions are documented where they are needed, and the first implementation's spellings are marked as such.
        var root = JsonDocument.Parse(json).RootElement;
        root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString().ShouldBe("bearer");
        Operation(root, "/orders", "post").TryGetProperty("security", out _).ShouldBeTrue();
        Operation(root, "/auth/verify-otp", "post").TryGetProperty("security", out _).ShouldBeFalse();
        Operation(root, "/categories", "post").GetProperty("deprecated").GetBoolean().ShouldBeTrue();
        Operation(root, "/orders", "post").GetProperty("responses").GetProperty("400").GetProperty("content")
            .TryGetProperty("application/problem+json", out _).ShouldBeTrue();
        // Examples are shown in the docs: each carries every property its schema requires, and placing an order has one.
        var schemas = root.GetProperty("components").GetProperty("schemas");
        foreach (var schema in schemas.EnumerateObject())
        {
            if (!schema.Value.TryGetProperty("examples", out var examples) || !schema.Value.TryGetProperty("required", out var required)) continue;
            foreach (var example in examples.EnumerateArray())
            foreach (var name in required.EnumerateArray())
                example.TryGetProperty(name.GetString()!, out _).ShouldBeTrue($"the example of {schema.Name} lacks required {name}");
        }
        Resolve(Operation(root, "/orders", "post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"), schemas)
            .GetProperty("examples").GetArrayLength().ShouldBe(1);
        root.GetProperty("servers")[0].GetProperty("url").GetString().ShouldBe(gateway.BaseAddress!.ToString().TrimEnd('/'));
    }

    /// <summary>
    /// Each documented JSON body with required properties is sent empty to the real endpoint, as the right person, on
    /// real resources: the endpoint must reject it with a 400 naming exactly the properties the document says are required.
    /// </summary>
    [Fact]
    public async Task Documented_required_properties_are_exactly_those_the_endpoints_reject_when_missing()
    {
        using var place = await Restaurant.OpenAsync(fixture);
        var categoryId = await place.Owner.CreateCategoryAsync(place.Id, "Pizza");
        var order = await place.Customer.PlaceOrderOkAsync(place.UsualOrder());
        var orderId = order.GetProperty("id").GetGuid();
        var ticket = await place.Kitchen.WaitForTicketAsync(orderId);
        var bill = await place.Customer.Client.WaitForBillAsync(orderId);
        var tableId = await place.AddTableAsync(1, 4, "Main room");
        var stationId = await KitchenFlow.CreateStationAsync(place.Owner.Client, place.Id, "Pass");
        using var anonymous = fixture.CreateGatewayClient();

        string IdFor(string path, string parameter) => parameter switch
        {
            "lineNo" => "1",
            "id" when path.StartsWith("/kitchen/stations") => stationId.ToString(),
            // The store room's bodies are validated before the item or purchase order is looked up.
            "id" when path.StartsWith("/inventory") => Guid.NewGuid().ToString(),
            _ => GuidFor(path, parameter).ToString(),
        };
        Guid GuidFor(string path, string parameter) => parameter switch
        {
            "restaurantId" => place.Id,
            "categoryId" => categoryId,
            "foodId" => place.A.Id,
            "orderId" => orderId,
            "userId" => place.Customer.UserId,
            "id" when path.StartsWith("/restaurants") => place.Id,
            "id" when path.StartsWith("/orders") => orderId,
            "id" when path.StartsWith("/tables") => tableId,
            "id" when path.StartsWith("/kitchen") => ticket.GetProperty("id").GetGuid(),
            "id" when path.StartsWith("/billing/bills") => bill.GetProperty("id").GetGuid(),
            _ => throw new InvalidOperationException($"no id for {{{parameter}}} in {path}"),
        };
        HttpClient ClientFor(string path) =>
            path.StartsWith("/auth") ? anonymous
            // Dine-in routes are the floor's (a waiter's or the owner's).
            : path is "/orders/dine-in" || path.EndsWith("/rounds") || path.EndsWith("/move") || path.EndsWith("/merge") ? place.Owner.Client
            : path.StartsWith("/orders") ? place.Customer.Client
            // Stations and the kitchen's settings are the owner's to define.
            : path.StartsWith("/kitchen/stations") || path == "/kitchen/settings" ? place.Owner.Client
            : path.StartsWith("/kitchen") ? place.Kitchen.Client
            : place.Owner.Client;

        using var gateway = fixture.CreateGatewayClient();
        var root = JsonDocument.Parse(await PublicApiDocument.GetCompleteAsync(gateway)).RootElement;
        var schemas = root.GetProperty("components").GetProperty("schemas");
        var checkedOperations = new List<string>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        {
            if (!operation.Value.TryGetProperty("requestBody", out var body)
                || !body.GetProperty("content").TryGetProperty("application/json", out var content)) continue;
            var schema = Resolve(content.GetProperty("schema"), schemas);
            var required = schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()!).ToHashSet() : [];
            if (required.Count == 0) continue;

            var url = PathParameter().Replace(path.Name, m => IdFor(path.Name, m.Groups[1].Value));
            using var response = await ClientFor(path.Name).CallAsync(new HttpMethod(operation.Name.ToUpperInvariant()), url, new { });
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToHashSet()
                .ShouldBe(required, ignoreOrder: true, $"{operation.Name.ToUpperInvariant()} {path.Name}: rejected vs documented as required");
            checkedOperations.Add($"{operation.Name.ToUpperInvariant()} {Normalize(path.Name)}");
        }

        checkedOperations.ShouldBeSubsetOf(PublicRoutes);
        checkedOperations.ShouldContain("POST /orders");
        checkedOperations.ShouldContain("POST /reservations");
        checkedOperations.ShouldContain("POST /restaurants/{}/foods");
        checkedOperations.ShouldContain("POST /foods");
        checkedOperations.ShouldContain("POST /auth/verify-otp");
        checkedOperations.ShouldContain("PATCH /kitchen/tickets/{}/status");
        checkedOperations.ShouldContain("PATCH /kitchen/tickets/{}/items/{}/status");
        checkedOperations.ShouldContain("POST /kitchen/stations");
        checkedOperations.ShouldContain("PATCH /kitchen/tickets/{}/priority");
        checkedOperations.ShouldContain("PUT /kitchen/settings");
        checkedOperations.ShouldContain("POST /orders/dine-in");
        checkedOperations.ShouldContain("POST /orders/{}/rounds");
        checkedOperations.ShouldContain("POST /tables");
        checkedOperations.ShouldContain("POST /inventory/items");
        checkedOperations.ShouldContain("POST /inventory/purchase-orders/{}/receipts");
    }

    private static JsonElement Operation(JsonElement root, string path, string method) =>
        root.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var reference)
            ? schemas.GetProperty(reference.GetString()!["#/components/schemas/".Length..])
            : schema;

    private static string Normalize(string path) => PathParameter().Replace(path, "{}");

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex PathParameter();
}
